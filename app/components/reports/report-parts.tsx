import { changeOf } from "~/domain/reports/range";
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
 * A figure with the previous period's beside it and the change: "1,204"
 * over "was 980 · +22.9 %". The change is in words as well as colour, so
 * colour is never the only sign; `lowerIsBetter` (bot share, refund rate,
 * hours) colours a fall as good news.
 */
export function Compared({
  current,
  previous,
  format,
  currency,
  lowerIsBetter = false,
  compared,
}: {
  current: number | null;
  previous: number | null;
  format: ValueFormat;
  currency: string;
  lowerIsBetter?: boolean;
  /** Whether the report sets a previous period beside this one at all. */
  compared: boolean;
}) {
  const change = changeOf(current, previous);
  const text = formatChange(change);
  const good = change === null || change === 0 ? null : change > 0 !== lowerIsBetter;
  return (
    <>
      {formatValue(current, format, currency)}
      {compared ? (
        <span className="report-cell__previous">
          was {formatValue(previous, format, currency)}
          {text ? (
            <>
              {" · "}
              <span className={cx(good === true && "change--up", good === false && "change--down")}>{text}</span>
            </>
          ) : null}
        </span>
      ) : null}
    </>
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
export function ComparedStat<F>({
  label,
  pick,
  series,
  format,
  lowerIsBetter,
  hint,
}: {
  label: string;
  pick: (f: F) => number | null;
  series: { current: F; previous: F | null };
  format: "hours" | "share" | "count";
  lowerIsBetter?: boolean;
  hint?: string;
}) {
  return (
    <div className="stat">
      <p className="stat__label">{label}</p>
      <p className="stat__value">
        <Compared
          current={pick(series.current)}
          previous={series.previous ? pick(series.previous) : null}
          format={format}
          currency={NO_CURRENCY}
          lowerIsBetter={lowerIsBetter}
          compared={series.previous !== null}
        />
      </p>
      {hint ? <p className="stat__hint">{hint}</p> : null}
    </div>
  );
}
