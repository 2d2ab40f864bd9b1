import { changeOf, REPORT_CACHE_TTL_MS } from "~/domain/reports/range";
import { formatDateTime } from "../format";
import { buttonClassName, DownloadIcon } from "../ui";
import { cx } from "../ui/cx";
import { formatValue, type ValueFormat } from "./report-chart-format";

/** Durations and rates read the same in any currency: the code their formatting is given. */
const NO_CURRENCY = "USD";

/** A change in percent with its sign ("+12.5 %", "−3.0 %"), or null when there is nothing to compare with. */
export function formatChange(change: number | null): string | null {
  if (change === null) return null;
  const percent = (change * 100).toFixed(1);
  return change > 0 ? `+${percent} %` : change < 0 ? `−${percent.slice(1)} %` : "0.0 %";
}

/**
 * What sits under a figure when the report compares: the previous period's
 * figure and the change, "was 980 · +22.9 %". The change is in words as well
 * as colour, so colour is never the only sign; `lowerIsBetter` (bot share,
 * refund rate, hours, incidents) colours a fall as good news. `previousText`
 * replaces the previous figure's own formatting ("0 of 2 (0.0 %)").
 */
export function WasNote({
  current,
  previous,
  format,
  currency,
  lowerIsBetter = false,
  previousText,
}: {
  current: number | null;
  previous: number | null;
  format: ValueFormat;
  currency: string;
  lowerIsBetter?: boolean;
  previousText?: string;
}) {
  const change = changeOf(current, previous);
  const text = formatChange(change);
  const good = change === null || change === 0 ? null : change > 0 !== lowerIsBetter;
  return (
    <span className="report-cell__previous">
      was {previousText ?? formatValue(previous, format, currency)}
      {text ? (
        <>
          {" · "}
          <span className={cx(good === true && "change--up", good === false && "change--down")}>{text}</span>
        </>
      ) : null}
    </span>
  );
}

type ComparedProps = {
  current: number | null;
  previous: number | null;
  format: ValueFormat;
  currency: string;
  lowerIsBetter?: boolean;
  /** Whether the report sets a previous period beside this one at all. */
  compared: boolean;
};

/** A figure with the previous period's beside it and the change: "1,204" over "was 980 · +22.9 %". */
export function Compared({ current, previous, format, currency, lowerIsBetter = false, compared }: ComparedProps) {
  return (
    <>
      {formatValue(current, format, currency)}
      {compared ? <WasNote current={current} previous={previous} format={format} currency={currency} lowerIsBetter={lowerIsBetter} /> : null}
    </>
  );
}

/** A summary figure of a report, with the previous period's under it when compared. */
export function ComparedStat({ label, hint, ...figure }: ComparedProps & { label: string; hint?: React.ReactNode }) {
  return (
    <div className="stat">
      <p className="stat__label">{label}</p>
      <p className="stat__value">
        <Compared {...figure} />
      </p>
      {hint ? <p className="stat__hint">{hint}</p> : null}
    </div>
  );
}

/** A report table's CSV download (`href` carries the table and the range): the same button on every tab, named for screen readers. */
export function ReportCsvLink({ href, what }: { href: string; what: string }) {
  return (
    <a className={buttonClassName({ variant: "secondary", size: "sm", className: "no-print" })} href={href} download>
      <DownloadIcon />
      CSV<span className="visually-hidden"> of {what}</span>
    </a>
  );
}

/**
 * A summary figure of a measure over the range, with the previous period's
 * beside it: counts, hours or shares (the Workflow and Review tabs).
 */
export function MeasureStat<F>({
  pick,
  series,
  ...stat
}: {
  label: string;
  pick: (f: F) => number | null;
  series: { current: F; previous: F | null };
  format: "hours" | "share" | "count";
  lowerIsBetter?: boolean;
  hint?: string;
}) {
  return (
    <ComparedStat
      {...stat}
      current={pick(series.current)}
      previous={series.previous ? pick(series.previous) : null}
      currency={NO_CURRENCY}
      compared={series.previous !== null}
    />
  );
}

type RateSeries = { current: { rate: number | null; flagged: number; count: number }; previous: { rate: number | null } | null };

/** The first-pass approval rate and the pre-screen first-try pass rate over the range: the program's (Workflow) or a partner's own (Review). */
export function FirstTimeRates({ firstPass, prescreen }: { firstPass: RateSeries; prescreen: RateSeries }) {
  return (
    <div className="stat-grid stat-grid--report">
      <MeasureStat
        label="First-pass approval rate"
        series={firstPass}
        pick={(f) => f.rate}
        format="share"
        hint={`${firstPass.current.flagged} of ${firstPass.current.count} first versions approved`}
      />
      <MeasureStat
        label="Pre-screen pass rate, first try"
        series={prescreen}
        pick={(f) => f.rate}
        format="share"
        hint={`${prescreen.current.flagged} of ${prescreen.current.count} versions submitted`}
      />
    </div>
  );
}

/** When a program-wide report was worked out: it is kept a few minutes for everyone who reads it and worked out ahead while it is read (decisions 023, 032). */
export function ReportAsOf({ computedAt }: { computedAt: string | Date }) {
  return (
    <p className="muted small">
      Figures as of {formatDateTime(computedAt)}. The report is worked out once for everyone who reads it, and again every few minutes in the background; once
      these figures are more than {REPORT_CACHE_TTL_MS / 60_000} minutes old, reloading the page brings newer ones.
    </p>
  );
}
