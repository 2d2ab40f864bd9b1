import { trackingLinks, type TrackingLink } from "#db/schema/index";
import { ConversionInput, RefundInput } from "~/domain/conversions/api-schemas.server";
import { DEFAULT_CLICK_RECORDER_OPTIONS, writeClicks, type PendingClick } from "~/domain/links/click-recorder.server";
import { ClickIdSource } from "~/domain/links/codes.server";
import type { Db } from "~/lib/db.server";

// Conversions as the brand's systems post them: bodies through the API's own
// schemas, and the clicks they name recorded through the recorder's batch
// writer with real click ids (the time is in the id).

const clickIds = new ClickIdSource();
let sequence = 0;

/** A conversion body as the API would have parsed it; `fields` are the JSON fields sent. */
export function conversionBody(fields: Record<string, unknown> = {}): ConversionInput {
  return ConversionInput.parse({
    orderId: `ORD-${++sequence}-${Math.random().toString(36).slice(2, 8)}`,
    amount: 4999,
    currency: "USD",
    occurredAt: "2030-03-10T11:00:00Z",
    ...fields,
  });
}

/** A refund body as the API would have parsed it. */
export function refundBody(fields: Record<string, unknown> = {}): RefundInput {
  return RefundInput.parse({ refundId: `RF-${++sequence}`, amount: 1000, ...fields });
}

/** A link of `organisation` written straight into the table (evergreen unless `fields` say otherwise). */
export async function linkOf(
  db: Db,
  organisation: { id: string; slug: string },
  fields: Partial<typeof trackingLinks.$inferInsert> = {},
): Promise<TrackingLink> {
  const [link] = await db
    .insert(trackingLinks)
    .values({
      code: `Cv${Math.random().toString(36).slice(2, 10)}`,
      organisationId: organisation.id,
      kind: "evergreen",
      label: "Spring guide",
      destinationUrl: "https://shop.example/spring",
      utmSource: organisation.slug,
      utmMedium: "website_blog",
      utmCampaign: "evergreen",
      utmContent: "spring-guide",
      ...fields,
    })
    .returning();
  return link!;
}

/** A person's click on `link` at `at` (a click on no link when `link` is null), with a real click id. */
function personClick(link: { id: string; organisationId: string } | null, at: Date, fields: Partial<PendingClick>): PendingClick {
  return {
    clickedAt: at,
    clickId: clickIds.next(at.getTime()),
    linkId: link?.id ?? null,
    organisationId: link?.organisationId ?? null,
    requestedCode: link ? null : "Nope1234",
    visitorHash: `visitor-${++sequence}`,
    userAgentClass: "browser",
    referrerHost: null,
    country: null,
    isBot: false,
    isTest: false,
    fallbackReason: link ? null : "unknown_code",
    ...fields,
  };
}

/** A person's click on `link` at `at`, written as the recorder writes clicks; returns its click id. */
export async function recordedClick(
  db: Db,
  link: { id: string; organisationId: string } | null,
  at: Date,
  fields: Partial<PendingClick> = {},
): Promise<string> {
  const click = personClick(link, at, fields);
  await writeClicks(db, [click]);
  return click.clickId;
}

/** People's clicks on `link`, one at each of `times`, written in the recorder's batches; returns their click ids in order. */
export async function recordedClicks(db: Db, link: { id: string; organisationId: string }, times: readonly Date[]): Promise<string[]> {
  const clicks = times.map((at) => personClick(link, at, {}));
  const { batchSize } = DEFAULT_CLICK_RECORDER_OPTIONS;
  for (let start = 0; start < clicks.length; start += batchSize) await writeClicks(db, clicks.slice(start, start + batchSize));
  return clicks.map((click) => click.clickId);
}

/** A click id of the right shape that no click was recorded under. */
export const unrecordedClickId = (at: Date) => clickIds.next(at.getTime());
