import { Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import {
  familyWildcard,
  WEBHOOK_DELIVERY_STATUS_LABELS,
  WEBHOOK_LIMITS,
  webhookEventsByFamily,
  type WebhookDeliveryStatusName,
} from "~/domain/webhooks/catalog";
import { CopyField } from "./link-parts";
import { Alert, Badge, ButtonLink, Card, CheckboxGroupField, Field, type BadgeTone, type FieldError } from "./ui";

export const WEBHOOKS_PATH = "/admin/webhooks";
export const WEBHOOK_EVENTS_PATH = "/admin/webhooks/events";

const DELIVERY_TONES: Record<WebhookDeliveryStatusName, BadgeTone> = {
  pending: "neutral",
  sending: "info",
  failed: "warning",
  delivered: "success",
  dead: "danger",
};

export function DeliveryStatusBadge({ status }: { status: WebhookDeliveryStatusName }) {
  return (
    <Badge tone={DELIVERY_TONES[status]} dot>
      {WEBHOOK_DELIVERY_STATUS_LABELS[status]}
    </Badge>
  );
}

export function EndpointStatusBadge({ enabled }: { enabled: boolean }) {
  return (
    <Badge tone={enabled ? "success" : "neutral"} dot>
      {enabled ? "Enabled" : "Disabled"}
    </Badge>
  );
}

/** The endpoint's fields, for the new and the edit form: the address, a description, and the events grouped by family with "all" first. */
export function EndpointFields({
  values,
  errors,
}: {
  values: { url: string; description: string; eventTypes: readonly string[] };
  errors: Record<string, FieldError> | undefined;
}) {
  return (
    <>
      <Field
        label="Receiver URL"
        name="url"
        type="url"
        required
        defaultValue={values.url}
        error={errors?.url}
        description="Where events are POSTed, e.g. https://hooks.example.com/cobrand. It must use https and a public address, unless the settings allow private receivers."
        inputProps={{ maxLength: WEBHOOK_LIMITS.urlMax, autoComplete: "off", inputMode: "url" }}
      />
      <Field
        label="Description (optional)"
        name="description"
        defaultValue={values.description}
        error={errors?.description}
        description="Which system receives them, so you know this endpoint again."
        inputProps={{ maxLength: WEBHOOK_LIMITS.descriptionMax }}
      />
      <div className="stack">
        <p className="field__label" id="webhook-events-label">
          Events
        </p>
        <p className="muted small">
          Choose whole families (new events of a family included) or single events. The <Link to={WEBHOOK_EVENTS_PATH}>event catalogue</Link> shows each
          event&apos;s data.
        </p>
        {webhookEventsByFamily().map((group, index) => (
          <CheckboxGroupField
            key={group.family}
            legend={group.label}
            name="eventTypes"
            columns
            defaultValue={values.eventTypes}
            error={index === 0 ? errors?.eventTypes : undefined}
            options={[
              {
                value: familyWildcard(group.family),
                label: <>All {group.label.toLowerCase()} events</>,
                description: <code className="small">{familyWildcard(group.family)}</code>,
              },
              ...group.events.map((event) => ({ value: event.type, label: <code className="small">{event.type}</code>, description: event.description })),
            ]}
          />
        ))}
      </div>
    </>
  );
}

/**
 * The signing secret, once (after creation or rotation), with a way to copy
 * it; focus moves here so a screen reader hears it appear. It is never put in
 * a URL, a redirect or a toast: only this response holds it.
 */
export function WebhookSecretPanel({ title, secret, url, backTo }: { title: string; secret: string; url: string; backTo: { to: string; label: string } }) {
  const region = useRef<HTMLElement>(null);
  useEffect(() => region.current?.focus(), []);
  return (
    <section ref={region} tabIndex={-1} aria-labelledby="webhook-secret-title" className="new-key-panel">
      <Card title={<span id="webhook-secret-title">{title}</span>}>
        <div className="stack">
          <Alert tone="warning" live={false} title="Copy the signing secret now: it will not be shown again">
            Your receiver needs it to check that each request comes from Cobrand. If it is lost, rotate the secret and give the receiver the new one.
          </Alert>
          <CopyField id="webhook-secret" label="Signing secret" name={url} value={secret} what="secret" />
          <p>
            Every request carries the <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code> headers of the{" "}
            <a href="https://www.standardwebhooks.com/" rel="noreferrer">
              Standard Webhooks
            </a>{" "}
            specification: verify them with one of its libraries, e.g. <code>new Webhook(secret).verify(body, headers)</code>.
          </p>
          <div>
            <ButtonLink to={backTo.to} variant="primary">
              {backTo.label}
            </ButtonLink>
          </div>
        </div>
      </Card>
    </section>
  );
}

/** A block of code (JSON, headers) that scrolls inside its card, named for screen readers. */
export function CodeBlock({ label, children }: { label: string; children: string }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a block wider than its box scrolls, and keyboard users can only scroll what takes focus (WCAG 2.1.1; axe: scrollable-region-focusable).
    <pre className="small prose-block" role="region" tabIndex={0} aria-label={label}>
      {children}
    </pre>
  );
}
