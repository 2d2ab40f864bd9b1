import { Form, useLocation } from "@remix-run/react";
import { RANGE_PRESETS, type RangeInput, type ReportRange } from "~/domain/reports/range";
import { formatDate } from "../format";
import { Alert, Button, Field, SelectField } from "../ui";

const dayLabel = (day: string) => formatDate(`${day}T00:00:00Z`);

export type RangeErrors = { from?: string; to?: string };

/**
 * The reports' date range: a preset, or custom dates, and whether to set the
 * previous period beside it. A plain GET form, so it works before (and
 * without) JavaScript and every range has an address to share; the dates are
 * used when "Custom dates" is chosen, or when a preset is left out.
 */
export function RangePicker({ input, errors, range }: { input: RangeInput; errors?: RangeErrors; range?: ReportRange | null }) {
  const invalid = Boolean(errors?.from || errors?.to);
  // The page's own path as the action: without one, an index route's form adds `?index` to the address it shares.
  const { pathname } = useLocation();
  return (
    // A new key per range resets the fields to what the server understood after each submission.
    <Form
      key={`${input.range}|${input.from}|${input.to}|${input.compare}`}
      method="get"
      action={pathname}
      className="report-range no-print"
      role="search"
      aria-label="Report dates"
    >
      <SelectField
        label="Dates"
        name="range"
        defaultValue={input.range}
        options={[...RANGE_PRESETS.map((p) => ({ value: p.value, label: p.label })), { value: "custom", label: "Custom dates" }]}
      />
      <Field label="From" name="from" type="date" defaultValue={input.from} error={errors?.from} description="For custom dates" />
      <Field label="To" name="to" type="date" defaultValue={input.to} error={errors?.to} description="For custom dates" />
      <SelectField
        label="Compare with"
        name="compare"
        defaultValue={input.compare}
        options={[
          { value: "previous", label: "Previous period" },
          { value: "none", label: "Nothing" },
        ]}
      />
      <div className="report-range__actions">
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </div>
      {range && !invalid ? (
        <p className="report-range__note muted small">
          {dayLabel(range.current.from)} to {dayLabel(range.current.to)} ({range.days} {range.days === 1 ? "day" : "days"}, UTC)
          {range.previous ? `, compared with ${dayLabel(range.previous.from)} to ${dayLabel(range.previous.to)}` : ""}.
        </p>
      ) : null}
    </Form>
  );
}

/** The range as one line, for printed reports (the form is not printed). */
export function PrintedRange({ range }: { range: ReportRange }) {
  return (
    <p className="print-only">
      {dayLabel(range.current.from)} to {dayLabel(range.current.to)} (UTC)
      {range.previous ? `, compared with ${dayLabel(range.previous.from)} to ${dayLabel(range.previous.to)}` : ""}
    </p>
  );
}

/** What a tab shows for dates it cannot read: why, and the form again with what was typed. */
export function InvalidRangeNotice({ message, input, errors }: { message: string; input: RangeInput; errors: RangeErrors }) {
  return (
    <>
      <Alert tone="danger" title={message}>
        Correct the dates below and choose Show.
      </Alert>
      <RangePicker input={input} errors={errors} />
    </>
  );
}
