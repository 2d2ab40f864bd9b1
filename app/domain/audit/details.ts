/**
 * An audit event's `data` as labelled values people can read: nested objects
 * become nested lists, `{ from, to }` pairs read "from → to", lists are joined.
 * Plain strings only: the page renders them as text, so nothing in the data
 * can become markup.
 */
export type AuditDetail = { label: string; value: string } | { label: string; entries: AuditDetail[] };

const KEY_LABELS: Record<string, string> = { ip: "IP address", sha256: "SHA-256", userAgent: "User agent", url: "URL", id: "ID" };
const MAX_DEPTH = 4;

/** "unkeyedHeadId" and "partner_org" → "Unkeyed head id", "Partner org". */
export function detailLabel(key: string): string {
  const known = KEY_LABELS[key];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_.-]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return value === null || value === undefined || typeof value !== "object";
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

function isChange(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 2 && "from" in value && "to" in value;
}

/** One value as text when it reads well on one line, else null. */
function inlineText(value: unknown): string | null {
  if (isScalar(value)) return scalarText(value);
  if (Array.isArray(value) && value.every(isScalar)) return value.length ? value.map(scalarText).join(", ") : "none";
  if (isPlainObject(value) && isChange(value)) {
    const from = inlineText(value.from);
    const to = inlineText(value.to);
    if (from !== null && to !== null) return `${from} → ${to}`;
  }
  return null;
}

function detailOf(label: string, value: unknown, depth: number): AuditDetail {
  const inline = inlineText(value);
  if (inline !== null) return { label, value: inline };
  if (depth >= MAX_DEPTH) return { label, value: JSON.stringify(value) };
  const entries = Array.isArray(value)
    ? value.map((item, index) => detailOf(String(index + 1), item, depth + 1))
    : Object.entries(value as Record<string, unknown>).map(([key, item]) => detailOf(detailLabel(key), item, depth + 1));
  return { label, entries };
}

export function auditDetails(data: Record<string, unknown>): AuditDetail[] {
  return Object.entries(data).map(([key, value]) => detailOf(detailLabel(key), value, 1));
}

/** The same details on one line, for a CSV cell: "Label: value; Group: (Label: value)". */
export function auditDetailsText(details: readonly AuditDetail[]): string {
  return details.map((d) => ("value" in d ? `${d.label}: ${d.value}` : `${d.label}: (${auditDetailsText(d.entries)})`)).join("; ");
}
