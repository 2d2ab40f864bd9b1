import { Form } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { CREATIVE_LIMITS } from "~/domain/creatives/catalog";
import { FindingList, highlightPieces, offsetOfCharacter, type ShownFinding } from "./creative-parts";
import { ErrorSummary, type ErrorSummaryItem } from "./error-summary";
import { CheckboxGroupField, Field, FieldErrorMessage, SelectField } from "./ui";

export type CreativeValues = {
  title: string;
  channel: string;
  placement: string;
  plannedLaunchOn: string;
  destinationUrl: string;
  copy: string;
  claimIds: string[];
  disclosure: string;
};

export type PickableClaim = { id: string; text: string; disclaimers: string[]; channels: string[]; regions: string[] };

export type ChannelLimits = { disclosureWithinChars: number | null; characterLimit: number | null };

export type LiveResult = { findings: ShownFinding[]; limits: ChannelLimits };

export const EMPTY_CREATIVE: CreativeValues = {
  title: "",
  channel: "",
  placement: "",
  plannedLaunchOn: "",
  destinationUrl: "",
  copy: "",
  claimIds: [],
  disclosure: "",
};

/** What the form shows after a refused save: what was typed. */
export function valuesFrom(kept: Record<string, string>, fallback: CreativeValues): CreativeValues {
  return {
    title: kept["title"] ?? fallback.title,
    channel: kept["channel"] ?? fallback.channel,
    placement: kept["placement"] ?? fallback.placement,
    plannedLaunchOn: kept["plannedLaunchOn"] ?? fallback.plannedLaunchOn,
    destinationUrl: kept["destinationUrl"] ?? fallback.destinationUrl,
    copy: kept["copy"] ?? fallback.copy,
    claimIds: kept["claimIds"] !== undefined ? kept["claimIds"].split(",").filter(Boolean) : fallback.claimIds,
    disclosure: kept["disclosure"] ?? fallback.disclosure,
  };
}

type Errors = Record<string, string[] | undefined>;

const FIELD_ORDER = ["title", "channel", "placement", "plannedLaunchOn", "destinationUrl", "copy", "claimIds", "disclosure"];

function summaryItems(errors: Errors, formError: string | null): ErrorSummaryItem[] {
  const items = FIELD_ORDER.flatMap((name) => (errors[name] ?? []).map((message) => ({ message, target: `field-${name}` })));
  return formError ? [{ message: formError, target: "field-title" }, ...items] : items;
}
const CHECK_DELAY_MS = 400;

/**
 * The creative's working copy. While the partner types, the copy goes to the
 * pre-screen (`checkUrl`, after a pause in typing) and the findings are drawn
 * at their place in the copy and listed beside it; without JavaScript the
 * page shows the findings of the last save. `actions` are the form's buttons
 * (save, submit), which post to the page's action with their `intent`.
 */
export function CreativeForm({
  values,
  errors,
  formError,
  channels,
  claims,
  labelOf,
  checkUrl,
  creativeId,
  initialCheck,
  actions,
}: {
  values: CreativeValues;
  errors: Errors;
  formError: string | null;
  channels: { value: string; label: string }[];
  claims: PickableClaim[];
  labelOf: Record<string, string>;
  checkUrl: string;
  creativeId: string | null;
  initialCheck: LiveResult | null;
  actions: ReactNode;
}) {
  const [copy, setCopy] = useState(values.copy);
  const [result, setResult] = useState<LiveResult | null>(initialCheck);
  const [checking, setChecking] = useState<"idle" | "checking" | "failed">("idle");
  const [failure, setFailure] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const backdropRef = useRef<HTMLDivElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<AbortController | null>(null);

  const runCheck = useCallback(async () => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setChecking("checking");
    try {
      const response = await fetch(checkUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          copy: String(data.get("copy") ?? ""),
          channel: String(data.get("channel") ?? ""),
          claimIds: data.getAll("claimIds").map(String),
          destinationUrl: String(data.get("destinationUrl") ?? ""),
          creativeId,
        }),
        signal: controller.signal,
      });
      const body = (await response.json().catch(() => null)) as (LiveResult & { error?: undefined }) | { error: string } | null;
      if (!response.ok || !body || "error" in body) {
        setChecking("failed");
        setFailure(
          body && "error" in body && body.error ? body.error : "The live check is not available right now; saving and submitting still check everything.",
        );
        return;
      }
      setResult(body);
      setFailure(null);
      setChecking("idle");
    } catch (error) {
      if ((error as Error).name === "AbortError") return;
      setChecking("failed");
      setFailure("The live check could not be reached; saving and submitting still check everything.");
    }
  }, [checkUrl, creativeId]);

  const scheduleCheck = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void runCheck(), CHECK_DELAY_MS);
  }, [runCheck]);

  const checkedOnArrival = useRef(initialCheck !== null);
  useEffect(() => {
    // A first check on arrival when the server sent none (a new creative).
    if (!checkedOnArrival.current) {
      checkedOnArrival.current = true;
      scheduleCheck();
    }
  }, [scheduleCheck]);
  // Only on leaving the page: a re-render (the page revalidating after a save) must not drop a pending check.
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      inFlight.current?.abort();
    },
    [],
  );

  function showFinding(finding: ShownFinding) {
    const textarea = textareaRef.current;
    if (!textarea || finding.start === null || finding.end === null) return;
    textarea.focus();
    textarea.setSelectionRange(finding.start, finding.end);
  }

  function syncScroll() {
    if (backdropRef.current && textareaRef.current) backdropRef.current.scrollTop = textareaRef.current.scrollTop;
  }

  const findings = result?.findings ?? [];
  const limits = result?.limits ?? null;
  const cutAt = limits?.disclosureWithinChars ? offsetOfCharacter(copy, limits.disclosureWithinChars) : null;
  const errorCount = findings.filter((f) => f.severity === "error").length;
  const warningCount = findings.length - errorCount;
  const characters = [...copy].length;
  const copyErrors = errors["copy"] ?? [];

  return (
    <Form method="post" className="creative-form" ref={formRef} onChange={scheduleCheck} noValidate aria-label="Creative">
      <ErrorSummary
        failure={formError || Object.keys(errors).length ? errors : null}
        items={summaryItems(errors, formError)}
        intro="Everything you typed is still here. Fix these and try again:"
      />
      <div className="creative-form__grid">
        <div className="creative-form__main">
          <Field
            label="Title"
            name="title"
            required
            defaultValue={values.title}
            error={errors["title"]}
            inputProps={{ maxLength: CREATIVE_LIMITS.titleChars }}
          />
          <div className="form-row">
            <SelectField
              label="Channel"
              name="channel"
              required
              options={channels}
              defaultValue={values.channel}
              placeholder="Choose a channel"
              error={errors["channel"]}
            />
            <Field
              label="Placement"
              name="placement"
              defaultValue={values.placement}
              error={errors["placement"]}
              placeholder="Instagram feed post"
              description="Where exactly it runs."
              inputProps={{ maxLength: CREATIVE_LIMITS.placementChars }}
            />
          </div>
          <div className="form-row">
            <Field label="Planned launch" name="plannedLaunchOn" type="date" defaultValue={values.plannedLaunchOn} error={errors["plannedLaunchOn"]} />
            <Field
              label="Destination"
              name="destinationUrl"
              type="url"
              defaultValue={values.destinationUrl}
              error={errors["destinationUrl"]}
              placeholder="https://"
              description="Where the creative sends people: a page on the brand's site."
              inputProps={{ maxLength: CREATIVE_LIMITS.destinationChars, inputMode: "url" }}
            />
          </div>
          <div className="field">
            <label htmlFor="field-copy" className="field__label">
              Copy
            </label>
            <p className="field__description" id="field-copy-description">
              The text that runs with the creative: caption, email body or page copy.
              {limits?.disclosureWithinChars
                ? ` On this channel the feed cuts the text after ${limits.disclosureWithinChars} characters (marked ▏): the disclosure must come before that.`
                : ""}
            </p>
            <div className="copy-editor">
              <div className="copy-editor__backdrop field__control" ref={backdropRef} aria-hidden="true">
                {highlightPieces(copy, findings, cutAt).map((piece, i) => (
                  <span key={i}>
                    {piece.severity ? <mark className={`hl hl--${piece.severity}`}>{piece.text}</mark> : piece.text}
                    {piece.cut ? <span className="copy-editor__cut" title="The feed cuts the text here" /> : null}
                  </span>
                ))}
                {"\n"}
              </div>
              <textarea
                ref={textareaRef}
                id="field-copy"
                name="copy"
                rows={9}
                className="field__control copy-editor__input"
                defaultValue={values.copy}
                maxLength={CREATIVE_LIMITS.copyChars}
                spellCheck
                aria-invalid={copyErrors.length > 0 || errorCount > 0 || undefined}
                aria-describedby={["field-copy-description", "copy-count", copyErrors.length ? "field-copy-error" : null].filter(Boolean).join(" ")}
                onInput={(e) => setCopy(e.currentTarget.value.replace(/\r\n?/g, "\n"))}
                onScroll={syncScroll}
              />
            </div>
            <p id="copy-count" className={`small tabular ${limits?.characterLimit && characters > limits.characterLimit ? "text-danger" : "muted"}`}>
              {characters.toLocaleString("en")} / {(limits?.characterLimit ?? CREATIVE_LIMITS.copyChars).toLocaleString("en")} characters
            </p>
            <FieldErrorMessage id="field-copy-error" messages={copyErrors} />
          </div>
          <CheckboxGroupField
            legend="Claims from the library"
            name="claimIds"
            description="Pick each approved claim the copy uses. Each must appear with its disclaimers; the pre-screen checks."
            defaultValue={values.claimIds}
            error={errors["claimIds"]}
            options={claims.map((claim) => ({
              value: claim.id,
              label: claim.text,
              description: (
                <>
                  {claim.disclaimers.map((d) => (
                    <span key={d} className="claim-disclaimer">
                      {d}
                    </span>
                  ))}
                  <span className="muted small">
                    {" "}
                    {claim.channels.map((c) => labelOf[c] ?? c).join(", ")} · {claim.regions.map((r) => labelOf[r] ?? r).join(", ")}
                  </span>
                </>
              ),
            }))}
          />
          {claims.length === 0 ? <p className="muted small">The library has no approved claims for your channels and regions yet.</p> : null}
          <Field
            label="Disclosure"
            name="disclosure"
            defaultValue={values.disclosure}
            error={errors["disclosure"]}
            placeholder="#ad"
            description="How the creative says it is a paid partnership, as it appears (in the copy, on the image or spoken in the video)."
            inputProps={{ maxLength: CREATIVE_LIMITS.disclosureChars }}
          />
          <div className="form-actions">{actions}</div>
        </div>
        <aside className="creative-form__checks" aria-labelledby="prescreen-heading">
          <h2 id="prescreen-heading" className="card__title">
            Pre-screen
          </h2>
          <p className="small muted" role="status" aria-live="polite">
            {checking === "checking"
              ? "Checking…"
              : checking === "failed"
                ? failure
                : result
                  ? errorCount || warningCount
                    ? `${errorCount} ${errorCount === 1 ? "error" : "errors"} to fix, ${warningCount} ${warningCount === 1 ? "warning" : "warnings"} for the reviewer.`
                    : "Nothing to fix so far."
                  : "The brand's rules are checked as you type."}
          </p>
          <FindingList
            findings={findings}
            copy={copy}
            onShow={showFinding}
            emptyText="No findings. Errors must be fixed before submitting; warnings go to the reviewer."
          />
        </aside>
      </div>
    </Form>
  );
}
