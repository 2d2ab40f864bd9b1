import { Form } from "@remix-run/react";
import { FALLBACK_REASON_LABELS, LINK_LIMITS, LINK_STATUS_LABELS, type FallbackReason, type LinkStatus } from "~/domain/links/catalog";
import { Badge, Button, FormError, TextareaField } from "./ui";

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
          <Badge tone="warning">Sends to fallback</Badge>
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

/** Click counts as the lists show them; zero reads as a dash-free 0, the numbers in tabular figures. */
export function ClickCount({ value }: { value: number }) {
  return <span className="tabular">{value.toLocaleString("en")}</span>;
}
