import { z } from "zod";
import { ApiPageQuery } from "../api-pages.server";

/**
 * The performance report of the API (`GET /api/v1/reports/performance`): its
 * query and its answer. Like the conversions API's schemas, these validate
 * the request, type the domain's answer and generate the OpenAPI document.
 */

/** The longest range a report covers, in days: a year, leap day included. */
export const REPORT_RANGE_MAX_DAYS = 366;

/** The range without `from`: the 30 days up to `to` (today unless given), both included. */
export const REPORT_RANGE_DEFAULT_DAYS = 30;

export const REPORT_GROUPINGS = ["partner", "link", "day"] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

const ReportDay = (what: "from" | "to") => z.iso.date({ error: `${what} must be one date written YYYY-MM-DD, such as 2026-11-30.` }).optional();

/**
 * `?from=&to=&groupBy=&partnerId=&limit=&cursor=`, strict like every list of
 * the API: a misspelt parameter ("group_by") is refused with its name rather
 * than silently giving another report than the one asked for.
 */
export const PerformanceQuery = z
  .strictObject({
    from: ReportDay("from").meta({
      description: `The range's first day (UTC), included. Defaults to ${REPORT_RANGE_DEFAULT_DAYS - 1} days before \`to\`; a range covers at most ${REPORT_RANGE_MAX_DAYS} days.`,
      example: "2026-11-01",
    }),
    to: ReportDay("to").meta({ description: "The range's last day (UTC), included. Defaults to today.", example: "2026-11-30" }),
    groupBy: z
      .enum(REPORT_GROUPINGS, { error: `groupBy must be one of: ${REPORT_GROUPINGS.join(", ")}.` })
      .default("partner")
      .meta({ description: "One row per partner (the default), per link (with its partner), or per day of the range." }),
    partnerId: z
      .uuid({ error: "partnerId must be a partner's id (a UUID), as this report and GET /api/v1/links give it." })
      .optional()
      .meta({ description: "Only this partner's figures." }),
    // Paged like the API's other lists; after the report's own parameters, in the order the documentation lists them.
  })
  .extend(ApiPageQuery.shape);

export type PerformanceQuery = z.infer<typeof PerformanceQuery>;

const Minor = z.number().int();

const CurrencyFiguresOutput = z
  .object({
    currency: z.string().meta({ example: "EUR" }),
    conversions: z.number().int(),
    revenue: Minor.meta({ description: "Revenue net of refunds, in minor units of this currency." }),
    commission: Minor.meta({ description: "Commission net of what refunds took back, in minor units of this currency." }),
    refunded: Minor.meta({ description: "Refunded, in minor units of this currency." }),
  })
  .meta({ id: "CurrencyFigures", description: "Conversions in a currency other than the program's: reported as sent, never converted." });

const ReportPartnerOutput = z.object({
  id: z.uuid(),
  slug: z.string().meta({ example: "northwind-media" }),
  name: z.string().meta({ example: "Northwind Media" }),
});

const PerformanceRowOutput = z
  .object({
    partner: ReportPartnerOutput.optional().meta({ description: "The partner (groupBy partner and link)." }),
    link: z
      .object({ id: z.uuid(), code: z.string().meta({ example: "Zq81LmT0" }) })
      .nullable()
      .optional()
      .meta({ description: "The link (groupBy link); null on the row of the partner's coupon code conversions, which no link brought." }),
    day: z.iso.date().optional().meta({ description: "The day, UTC (groupBy day).", example: "2026-11-30" }),
    clicks: z.number().int().meta({ description: "People who clicked: bot and test clicks left out." }),
    uniqueClicks: z.number().int().meta({ description: "Distinct visitors of each link each day, added up." }),
    conversions: z.number().int().meta({ description: "Conversions in the program's currency; test conversions are never counted." }),
    revenue: Minor.meta({ description: "Their revenue net of refunds, in minor units of the program's currency." }),
    commission: Minor.meta({ description: "The partners' commission on them, net of what refunds took back, in minor units." }),
    refunded: Minor.meta({ description: "What was refunded of them, in minor units." }),
    conversionRate: z.number().nullable().meta({
      description:
        "Conversions that clicks brought (in any currency) per unique click, as a share rounded to 4 decimals (0.0423 is 4.23 %); null without unique clicks. Coupon code conversions are left out: no click brought them.",
      example: 0.0423,
    }),
    epc: z.number().nullable().meta({
      description:
        "Earnings per click: the commission clicks brought, in the program's currency, per click, in minor units rounded to 4 decimals (43.5 is $0.435); null without clicks.",
      example: 43.5,
    }),
    otherCurrencies: z.array(CurrencyFiguresOutput).meta({ description: "This row's conversions in other currencies, one entry per currency." }),
  })
  .meta({ id: "PerformanceRow", description: "One partner's, link's or day's figures over the range." });

export const PerformanceReportOutput = z
  .object({
    from: z.iso.date().meta({ example: "2026-11-01" }),
    to: z.iso.date().meta({ example: "2026-11-30" }),
    currency: z.string().meta({ description: "The program's currency (Settings → Conversions): the rows' amounts are in it.", example: "USD" }),
    groupBy: z.enum(REPORT_GROUPINGS),
    rows: z.array(PerformanceRowOutput).meta({
      description:
        "By partner: partners with clicks or conversions in the range, by slug. By link: their links with clicks or conversions, by partner slug then link code, a partner's coupon code row first. By day: every day of the range, in order, zero rows included.",
    }),
    otherCurrencies: z
      .array(CurrencyFiguresOutput)
      .meta({ description: "The whole range's conversions in other currencies (all pages), one entry per currency." }),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` (with the same query) for the next page; null on the last page." }),
  })
  .meta({ id: "PerformanceReport" });

export type PerformanceReportView = z.infer<typeof PerformanceReportOutput>;
export type PerformanceRowView = z.infer<typeof PerformanceRowOutput>;
