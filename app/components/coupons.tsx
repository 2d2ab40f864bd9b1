import { Form, Link } from "@remix-run/react";
import { COUPON_LIMITS, COUPON_STATUS_LABELS, COUPON_STATUS_TONE, couponExpiryText, type CouponStatus } from "~/domain/conversions/catalog";
import { formatDate } from "./format";
import { Badge, Button, ButtonLink, Card, DataTable, EmptyState, Field, FormError, PlusIcon, type HeadingLevel } from "./ui";

// Coupon codes, the same on the partner's pages and the brand team's: the
// list with each code's state, the new-code form, and a short section that
// shows the newest codes on a page about something else (the partner's links,
// the admin's partner page) with the way to all of them.

export type CouponItem = {
  id: string;
  code: string;
  status: CouponStatus;
  expiresAt: string | Date | null;
  createdAt: string | Date;
  createdBy: string | null;
};

/** A form's refusal as the action answered it (what was typed, the messages). */
export type CouponFormFailure = { errors: Record<string, string[] | undefined>; formError?: string | null; values: Record<string, string> } | null;

export function CouponStatusBadge({ status }: { status: CouponStatus }) {
  return (
    <Badge tone={COUPON_STATUS_TONE[status]} dot>
      {COUPON_STATUS_LABELS[status]}
    </Badge>
  );
}

/**
 * The coupons of one partner. With `disableAction` (the page the rows' forms
 * post to), each active code has a "Disable…" behind a summary, so no click
 * disables a code by accident.
 */
export function CouponTable({
  coupons,
  caption,
  empty,
  disableAction = null,
}: {
  coupons: readonly CouponItem[];
  caption: string;
  empty: React.ReactNode;
  disableAction?: string | null;
}) {
  return (
    <DataTable
      caption={caption}
      captionHidden
      className="coupons-table"
      columns={[
        { key: "code", header: "Code", rowHeader: true },
        { key: "status", header: "Status" },
        { key: "expiry", header: "Valid" },
        { key: "created", header: "Created" },
        ...(disableAction ? [{ key: "actions", header: "Actions" }] : []),
      ]}
      rows={coupons}
      getRowKey={(coupon) => coupon.id}
      empty={empty}
      renderCell={(coupon, key) => {
        switch (key) {
          case "code":
            return <code>{coupon.code}</code>;
          case "status":
            return <CouponStatusBadge status={coupon.status} />;
          case "expiry":
            return couponExpiryText(coupon.expiresAt);
          case "created":
            return (
              <span className="stack stack--xs">
                <span>{formatDate(coupon.createdAt)}</span>
                {coupon.createdBy ? <span className="muted small">by {coupon.createdBy}</span> : null}
              </span>
            );
          case "actions":
            return coupon.status === "active" && disableAction ? <DisableCouponForm coupon={coupon} action={disableAction} /> : null;
          default:
            return null;
        }
      }}
    />
  );
}

function DisableCouponForm({ coupon, action }: { coupon: CouponItem; action: string }) {
  return (
    <details className="link-status-form">
      <summary className="link-status-form__summary--danger">
        Disable…<span className="visually-hidden"> coupon {coupon.code}</span>
      </summary>
      <Form method="post" action={action} className="stack stack--sm" aria-label={`Disable coupon ${coupon.code}`}>
        <input type="hidden" name="intent" value="disable" />
        <input type="hidden" name="couponId" value={coupon.id} />
        <p className="small">Orders that name this code from now on are not attributed by it. The code stays taken: it cannot be given to anyone else.</p>
        <div>
          <Button type="submit" variant="danger" size="sm">
            Disable {coupon.code}
          </Button>
        </div>
      </Form>
    </details>
  );
}

/** The new-code form; its refusal (a taken code, a past day) shows at the field, with what was typed. */
export function NewCouponForm({ action, failure, pending }: { action: string; failure: CouponFormFailure; pending: boolean }) {
  const mine = failure?.values.intent === "create" ? failure : null;
  return (
    <Form method="post" action={action} noValidate className="stack form-narrow" aria-label="New coupon code">
      <input type="hidden" name="intent" value="create" />
      <FormError>{mine?.formError}</FormError>
      <Field
        label="Code"
        name="code"
        required
        defaultValue={mine?.values.code ?? ""}
        error={mine?.errors.code}
        description={`What shoppers type at the checkout: ${COUPON_LIMITS.codeMin} to ${COUPON_LIMITS.codeMax} letters, digits, hyphens or underscores. Unique whatever the case: SPRING10 and spring10 are one code.`}
        inputProps={{ maxLength: COUPON_LIMITS.codeMax, autoComplete: "off", spellCheck: false, autoCapitalize: "characters" }}
      />
      <Field
        label="Last day (optional)"
        name="expiresOn"
        type="date"
        defaultValue={mine?.values.expiresOn ?? ""}
        error={mine?.errors.expiresOn}
        description="Orders placed up to the end of this day (UTC) are attributed by the code. Leave empty for a code that does not expire."
      />
      <div>
        <Button type="submit" variant="primary" icon={<PlusIcon />} pending={pending}>
          Add coupon code
        </Button>
      </div>
    </Form>
  );
}

/**
 * The newest coupons of a partner as a section of another page, with the way
 * to all of them (and to add one, where the reader may).
 */
export function CouponsSection({
  coupons,
  total,
  to,
  canAdd,
  emptyText,
  description,
  headingLevel = 2,
}: {
  coupons: readonly CouponItem[];
  total: number;
  /** The coupon page: all codes, the form. */
  to: string;
  canAdd: boolean;
  emptyText: React.ReactNode;
  description: string;
  headingLevel?: HeadingLevel;
}) {
  const more = total > coupons.length;
  return (
    <Card
      id="coupons"
      title="Coupon codes"
      headingLevel={headingLevel}
      description={description}
      flush={coupons.length > 0}
      actions={
        canAdd ? (
          <ButtonLink to={to} variant="secondary" icon={<PlusIcon />}>
            New coupon code
          </ButtonLink>
        ) : null
      }
      footer={coupons.length ? <Link to={to}>{more ? `See all ${total} coupon codes` : "All coupon codes"}</Link> : null}
    >
      <CouponTable
        coupons={coupons}
        caption={`Coupon codes, newest first${more ? `: ${coupons.length} of ${total}` : ""}`}
        empty={<EmptyState headingLevel={headingLevel === 2 ? 3 : 4} title="No coupon codes yet" description={emptyText} />}
      />
    </Card>
  );
}
