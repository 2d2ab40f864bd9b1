import type { ReactNode } from "react";
import { formatEarningsPerClick, type ConversionFigures, type CurrencyFigures } from "~/domain/conversions/metrics";
import { formatMoney } from "~/lib/money";
import { ConversionsByDay, type PerformanceOfDay } from "./clicks-chart";
import { formatCount, formatShare } from "./link-parts";
import { ChartIcon, EmptyState, Stat } from "./ui";

/** What the performance figures mean, said once under them: how the two ratios are worked out, what revenue is net of. */
export const PERFORMANCE_HELP =
  "Conversion rate: conversions (in any currency) ÷ unique clicks. Earnings per click (EPC): commission ÷ clicks. Revenue is net of refunds; test conversions never count.";

/** "3 conversions", "1 conversion". */
export const conversionsCount = (n: number) => `${formatCount(n)} ${n === 1 ? "conversion" : "conversions"}`;

/** Figures in one currency in a line: "3 conversions, €120.00 revenue, €12.00 commission" (and the refunds, when any). */
export function figuresLine(figures: ConversionFigures, currency: string): string {
  const parts = [
    conversionsCount(figures.conversions),
    `${formatMoney(figures.revenueMinor, currency)} revenue`,
    `${formatMoney(figures.commissionMinor, currency)} commission`,
  ];
  if (figures.refundedMinor > 0) parts.push(`${formatMoney(figures.refundedMinor, currency)} refunded`);
  return parts.join(", ");
}

type Totals = ConversionFigures & {
  currency: string;
  clicks: number;
  uniqueClicks: number;
  conversionRate: number | null;
  epcMinor: number | null;
  otherCurrencies: CurrencyFigures[];
};

/**
 * Conversions, revenue, commission, refunds, conversion rate and earnings per
 * click of a range, in the program's currency; with `withClicks`, the clicks
 * and unique clicks they are reckoned on first (where no clicks card is beside them).
 */
export function PerformanceStats({ totals, rangeLabel, withClicks = false }: { totals: Totals; rangeLabel: string; withClicks?: boolean }) {
  const { currency } = totals;
  return (
    <div className="stat-grid stat-grid--money">
      {withClicks ? (
        <>
          <Stat label="Clicks" value={formatCount(totals.clicks)} hint="People: no bots, no tests" />
          <Stat label="Unique clicks" value={formatCount(totals.uniqueClicks)} hint="Once per visitor a day" />
        </>
      ) : null}
      <Stat label="Conversions" value={formatCount(totals.conversions)} hint={rangeLabel} />
      <Stat label="Revenue" value={formatMoney(totals.revenueMinor, currency)} hint={`${currency}, net of refunds`} />
      <Stat label="Commission" value={formatMoney(totals.commissionMinor, currency)} hint="The partner's earnings" />
      <Stat label="Conversion rate" value={formatShare(totals.conversionRate)} hint="Per unique click" />
      <Stat label="EPC" value={formatEarningsPerClick(totals.epcMinor, currency)} hint="Earnings per click" />
      <Stat label="Refunded" value={formatMoney(totals.refundedMinor, currency)} hint="Taken off the revenue" />
    </div>
  );
}

/** Conversions posted in other currencies than the program's: listed per currency, never converted. */
export function OtherCurrencies({ figures, lead = "Also in" }: { figures: readonly CurrencyFigures[]; lead?: string }) {
  if (!figures.length) return null;
  return (
    <ul className="plain-list performance-others" aria-label="Conversions in other currencies">
      {figures.map((f) => (
        <li key={f.currency}>
          <strong>
            {lead} {f.currency}:
          </strong>{" "}
          {figuresLine(f, f.currency)}
        </li>
      ))}
    </ul>
  );
}

/**
 * A partner's coupon code conversions: they have no link, so they show on a
 * line of their own (included in the totals, left out of the rates).
 */
export function CouponLine({ coupons, currency }: { coupons: { figures: ConversionFigures; otherCurrencies: CurrencyFigures[] } | null; currency: string }) {
  if (!coupons) return null;
  return (
    <div className="performance-coupons">
      <p>
        <strong>Coupon codes:</strong> {figuresLine(coupons.figures, currency)}.
      </p>
      <OtherCurrencies figures={coupons.otherCurrencies} lead="Coupon codes in" />
      <p className="muted small">Included in the totals. They come without a click, so they are left out of the conversion rate and EPC.</p>
    </div>
  );
}

/**
 * No conversions in the range: says so, and how they arrive. For the partner,
 * sales the brand reports; for the brand team, what its systems must post.
 * `scope` is what the figures are of: one link, or a partner's links and coupons.
 */
export function NoConversions({
  audience,
  scope,
  hasClicks,
  headingLevel = 3,
}: {
  audience: "partner" | "brand";
  scope: "link" | "partner";
  hasClicks: boolean;
  headingLevel?: 2 | 3 | 4;
}) {
  const attributedTo =
    audience === "partner"
      ? scope === "link"
        ? "your link"
        : "one of your links or coupon codes"
      : scope === "link"
        ? "the click id of a click on this link"
        : "the click id of one of the partner's links, or one of its coupon codes";
  const description: ReactNode =
    audience === "partner"
      ? `Conversions appear when the brand reports a sale attributed to ${attributedTo}.${hasClicks ? " Your clicks are counted meanwhile." : ""}`
      : `Conversions appear when the brand's systems post a sale to the conversions API with ${attributedTo}.`;
  return (
    <EmptyState
      headingLevel={headingLevel}
      icon={<ChartIcon />}
      title={hasClicks ? "Clicks, but no conversions yet" : "No conversions yet"}
      description={description}
    />
  );
}

/** Whether a range had anything to chart: a conversion or a refund in any currency. */
export const hasConversions = (totals: ConversionFigures & { otherCurrencies: readonly CurrencyFigures[] }) =>
  totals.conversions > 0 || totals.refundedMinor > 0 || totals.otherCurrencies.length > 0;

/** A partner's terms as the performance note needs them. */
export type PeriodTerms = { commercialModel: string; amountMinor: number | null; currency: string | null };

/**
 * Terms paid by the period rather than per conversion (a fixed fee, a co-op
 * budget): their commission per conversion is zero, which the figures alone
 * would not explain. A co-op budget is set against the revenue of the range
 * when both are in one currency ("spend against budget").
 */
export function PeriodTermsNote({ terms, revenueMinor, currency }: { terms: PeriodTerms | undefined; revenueMinor: number; currency: string }) {
  if (!terms || terms.amountMinor === null || !terms.currency) return null;
  const amount = formatMoney(terms.amountMinor, terms.currency);
  if (terms.commercialModel === "fixed_fee") {
    return (
      <p>
        <strong>Fixed fee:</strong> {amount} per period, paid whatever the conversions; so no commission is earned per conversion.
      </p>
    );
  }
  if (terms.commercialModel === "co_op") {
    const comparable = terms.currency === currency && terms.amountMinor > 0;
    return (
      <p>
        <strong>Co-op budget:</strong> {amount}, spent on campaigns rather than paid per conversion.
        {comparable
          ? ` Revenue in this range against it: ${formatMoney(revenueMinor, currency)}, ${(revenueMinor / terms.amountMinor).toLocaleString("en", { maximumFractionDigits: 2 })} times the budget.`
          : null}
      </p>
    );
  }
  return null;
}

/**
 * The whole of a range's performance: the figures, other currencies, the
 * coupon line and the chart by day with its table; or, without a conversion,
 * the clicks alone (when asked) and how conversions arrive.
 */
export function PerformanceBody({
  report,
  days,
  audience,
  scope,
  withClicks = false,
  terms,
}: {
  report: { totals: Totals & { coupons?: { figures: ConversionFigures; otherCurrencies: CurrencyFigures[] } | null }; days: readonly PerformanceOfDay[] };
  days: number;
  audience: "partner" | "brand";
  scope: "link" | "partner";
  withClicks?: boolean;
  /** The partner's terms, for a partner's whole performance: a fee or budget paid by the period is said under the figures. */
  terms?: PeriodTerms;
}) {
  const { totals } = report;
  if (!hasConversions(totals)) {
    return (
      <div className="stack">
        {withClicks ? (
          <div className="stat-grid">
            <Stat label="Clicks" value={formatCount(totals.clicks)} hint="People: no bots, no tests" />
            <Stat label="Unique clicks" value={formatCount(totals.uniqueClicks)} hint="Once per visitor a day" />
          </div>
        ) : null}
        <NoConversions audience={audience} scope={scope} hasClicks={totals.clicks > 0} />
      </div>
    );
  }
  return (
    <div className="stack">
      <PerformanceStats totals={totals} rangeLabel={`Last ${days} days`} withClicks={withClicks} />
      <OtherCurrencies figures={totals.otherCurrencies} />
      <CouponLine coupons={totals.coupons ?? null} currency={totals.currency} />
      <PeriodTermsNote terms={terms} revenueMinor={totals.revenueMinor} currency={totals.currency} />
      <ConversionsByDay title={`Conversions by day, last ${days} days`} days={report.days} currency={totals.currency} />
      <p className="muted small">{PERFORMANCE_HELP}</p>
    </div>
  );
}
