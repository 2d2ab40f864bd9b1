import { Form, Link } from "@remix-run/react";
import { useState } from "react";
import { FALLBACK_REASON_LABELS, LINK_LIMITS, LINK_STATUS_LABELS, STATS_RANGE_DAYS, type FallbackReason, type LinkStatus } from "~/domain/links/catalog";
import { useHydrated } from "./use-hydrated";
import { Badge, Button, FormError, TextareaField } from "./ui";

/** A whole number as people read it: 12,480. */
export const formatCount = (n: number) => n.toLocaleString("en");

/** A share as a percentage with one decimal, or a dash when there is nothing to share out. */
export const formatShare = (share: number | null) => (share === null ? "–" : `${(share * 100).toFixed(1)} %`);

/**
 * A value to copy: a read-only box whose text can be selected (all of it on
 * focus) without JavaScript, and a Copy button once the page is interactive.
 * `name` says whose value it is, for the box's and the button's labels; `what`
 * names the value in the message shown when copying fails (an API key's
 * secret). `multiline` shows a block of several lines (a curl command) as
 * preformatted text that scrolls sideways within its box rather than wrapping.
 */
export function CopyField({
  id,
  value,
  label,
  name,
  what = "address",
  multiline = false,
}: {
  id: string;
  value: string;
  label: string;
  name: string;
  what?: string;
  multiline?: boolean;
}) {
  const hydrated = useHydrated();
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }
  const labelText = (
    <>
      {label}
      <span className="visually-hidden"> of {name}</span>
    </>
  );
  const button = hydrated ? (
    <Button type="button" variant="secondary" size="sm" onClick={copy} aria-label={`Copy the ${label.toLowerCase()} of ${name}`}>
      Copy
    </Button>
  ) : null;
  return (
    <div className={multiline ? "copy-field copy-field--block" : "copy-field"}>
      {multiline ? (
        <>
          <div className="copy-field__row">
            <p id={`${id}-label`} className="field__label copy-field__label">
              {labelText}
            </p>
            {button}
          </div>
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a block wider than its box scrolls, and keyboard users can only scroll what takes focus (WCAG 2.1.1; axe: scrollable-region-focusable). */}
          <pre id={id} className="copy-field__block" role="region" aria-labelledby={`${id}-label`} tabIndex={0}>
            <code>{value}</code>
          </pre>
        </>
      ) : (
        <>
          <label htmlFor={id} className="field__label">
            {labelText}
          </label>
          <div className="copy-field__row">
            <input id={id} className="field__control copy-field__input" type="text" value={value} readOnly onFocus={(event) => event.currentTarget.select()} />
            {button}
          </div>
        </>
      )}
      <p role="status" className="small copy-field__status">
        {copied === "copied" ? "Copied." : copied === "failed" ? `Copying failed: select the ${what} and copy it yourself.` : ""}
      </p>
    </div>
  );
}

/** What a link's state means for its visitors, in a sentence; null for an active link that reaches its destination. */
export function linkStateExplained(status: LinkStatus, fallbackReason: FallbackReason | null, disabledReason: string | null): string | null {
  if (status === "disabled") {
    return `The program disabled this link${disabledReason ? ` (${disabledReason})` : ""}. Visitors go to the program's fallback page instead of the destination.`;
  }
  switch (fallbackReason) {
    case null:
      return null;
    case "partner_paused":
    case "partner_terminated":
      return `Your partnership is ${fallbackReason === "partner_paused" ? "paused" : "terminated"}: visitors of every link of yours go to the program's fallback page.`;
    case "approval_revoked":
      return "The brand revoked the approval of this creative: its visitors go to the program's fallback page. Stop using it.";
    case "host_not_allowed":
      return "The destination's domain is no longer on the program's list of allowed destinations: visitors go to the program's fallback page.";
    default:
      return `Visitors go to the program's fallback page (${FALLBACK_REASON_LABELS[fallbackReason].toLowerCase()}).`;
  }
}

/** Today, the last 7 days and all time: the people who clicked (bots and test clicks left out). */
export function ClickCounts({ clicks }: { clicks: { today: number; last7Days: number; total: number } }) {
  return (
    <dl className="click-counts" aria-label="Clicks">
      <div>
        <dt>Today</dt>
        <dd>{formatCount(clicks.today)}</dd>
      </div>
      <div>
        <dt>7 days</dt>
        <dd>{formatCount(clicks.last7Days)}</dd>
      </div>
      <div>
        <dt>Total</dt>
        <dd>{formatCount(clicks.total)}</dd>
      </div>
    </dl>
  );
}

/** The stats' date ranges as links (they work without JavaScript); the current one is marked. */
export function RangeNav({ days, hrefFor }: { days: number; hrefFor: (days: number) => string }) {
  return (
    <nav className="range-nav" aria-label="Date range">
      <ul>
        {STATS_RANGE_DAYS.map((option) => (
          <li key={option}>
            <Link to={hrefFor(option)} aria-current={option === days ? "page" : undefined} preventScrollReset>
              Last {option} days
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A form's refusal as the action answered it (what was typed, the messages). */
export type LinkStatusFailure = { errors: Record<string, string[] | undefined>; formError?: string | null; values: Record<string, string> } | null;

/**
 * A link's status and, when its visitors do not reach its destination, why:
 * a disabled link says so itself; a paused partner, a revoked approval or a
 * destination that left the allowlist leave the link "active" but send its
 * visitors to the fallback page all the same.
 */
export function LinkStateBadges({ status, fallbackReason }: { status: LinkStatus; fallbackReason: FallbackReason | null }) {
  const elsewhere = fallbackReason && fallbackReason !== "link_disabled" ? fallbackReason : null;
  return (
    <span className="link-state">
      <Badge tone={status === "active" ? "success" : "neutral"} dot>
        {LINK_STATUS_LABELS[status]}
      </Badge>
      {elsewhere ? (
        <>
          <Badge tone="warning">Goes to the fallback page</Badge>
          <span className="muted small">{FALLBACK_REASON_LABELS[elsewhere]}</span>
        </>
      ) : null}
    </span>
  );
}

/**
 * Disable or enable a link, with the reason (it goes on record). In a list it
 * sits behind a summary that opens it, so no click changes a link by
 * accident. It posts to the link's page, from the list too (with `returnTo`,
 * where to come back after): a refusal shows there, with what was typed.
 */
export function LinkStatusForm({
  link,
  failure,
  returnTo,
  collapsed = true,
}: {
  link: { id: string; code: string; status: LinkStatus };
  failure: LinkStatusFailure;
  returnTo?: string;
  /** Behind a summary (in a list); the link's own page shows the form as it is. */
  collapsed?: boolean;
}) {
  const disabling = link.status === "active";
  const verb = disabling ? "Disable" : "Enable";
  const form = (
    <Form method="post" action={`/admin/links/${link.id}`} noValidate className="stack stack--sm" aria-label={`${verb} link ${link.code}`}>
      <input type="hidden" name="intent" value={disabling ? "disable" : "enable"} />
      <input type="hidden" name="linkId" value={link.id} />
      {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
      <FormError>{failure?.formError}</FormError>
      <TextareaField
        id={`reason-${link.id}`}
        label="Reason"
        name="reason"
        required
        description={
          disabling
            ? "On record, and shown with the link. Visitors are sent to the fallback page from now on."
            : "On record. Visitors reach the destination again, unless the partner is paused or the approval revoked."
        }
        defaultValue={failure?.values.reason}
        error={failure?.errors.reason}
        textareaProps={{ rows: 2, maxLength: LINK_LIMITS.reasonMax }}
      />
      <div>
        <Button type="submit" variant={disabling ? "danger" : "primary"} size="sm">
          {verb} link
        </Button>
      </div>
    </Form>
  );
  if (!collapsed) return form;
  return (
    <details className="link-status-form" open={Boolean(failure)}>
      <summary className={disabling ? "link-status-form__summary--danger" : undefined}>
        {verb}…<span className="visually-hidden"> link {link.code}</span>
      </summary>
      {form}
    </details>
  );
}

/** A click count in a table cell, in tabular figures. */
export function ClickCount({ value }: { value: number }) {
  return <span className="tabular">{formatCount(value)}</span>;
}
