import { attributedByLabel, attributionNoteText, type AttributedBy, type AttributionNote } from "~/domain/conversions/catalog";
import { formatMoney } from "~/lib/money";
import { Badge } from "./ui";

// Pieces of the brand team's conversion pages: how a conversion was
// attributed at a glance, amounts with their currency, and the notes that
// explain the attribution in words.

const ATTRIBUTION_TONE = { click: "success", coupon: "info", none: "warning" } as const;

export function AttributionBadge({ attributedBy }: { attributedBy: AttributedBy }) {
  return (
    <Badge tone={ATTRIBUTION_TONE[attributedBy]} dot>
      {attributedByLabel(attributedBy)}
    </Badge>
  );
}

/** A test conversion is marked wherever it shows: it is never counted or paid. */
export function TestBadge() {
  return <Badge tone="neutral">Test</Badge>;
}

/** An amount in minor units, with its currency, in tabular figures. */
export function Money({ minor, currency }: { minor: number; currency: string }) {
  return <span className="tabular">{formatMoney(minor, currency)}</span>;
}

/** Each reason the attribution went as it did, in words; the partner of a coupon that lost to a click by name. */
export function AttributionNotes({
  notes,
  windowDays,
  partnerNames,
}: {
  notes: readonly AttributionNote[];
  windowDays: number;
  partnerNames: Record<string, { name: string }>;
}) {
  if (!notes.length) return null;
  return (
    <ul className="stack stack--xs attribution-notes" aria-label="Attribution notes">
      {notes.map((note, index) => (
        <li key={index} data-kind={note.kind}>
          {attributionNoteText(note, { windowDays, partnerName: (id) => partnerNames[id]?.name ?? null })}
        </li>
      ))}
    </ul>
  );
}
