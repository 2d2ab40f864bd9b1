import type { AuditDetail } from "~/domain/audit/details";

/**
 * An audit event's data as a compact key/value list. Values are rendered as
 * text by React, so whatever an event recorded (a claim's text, a user agent)
 * is escaped, never interpreted.
 */
export function AuditDetails({ details }: { details: readonly AuditDetail[] }) {
  if (details.length === 0) return null;
  return (
    <dl className="audit-details">
      {details.map((detail, index) => (
        <div key={`${detail.label}-${index}`} className="audit-details__item">
          <dt>{detail.label}</dt>
          <dd>{"value" in detail ? detail.value : <AuditDetails details={detail.entries} />}</dd>
        </div>
      ))}
    </dl>
  );
}
