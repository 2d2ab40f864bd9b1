/**
 * The bench dataset's fixed facts, shared by bench/seed.ts (which makes it)
 * and bench/pages.ts (which signs in to it): ARCHITECTURE.md §6 sizes it at
 * 2,000 partners, 20,000 creatives, 1,000,000 clicks and 50,000 conversions.
 */
export const BENCH_PASSWORD = "bench dataset password 2026";
export const BENCH_EMAIL_DOMAIN = "bench.cobrand.test";

export const PARTNERS = 2_000;
export const CREATIVES = 20_000;
export const CLICKS = 1_000_000;
export const CONVERSIONS = 50_000;
export const INCIDENTS = 400;
export const CLICK_DAYS = 90;

/** Internal people, one per role, by the address they sign in with. */
export const STAFF = {
  admin: `admin@${BENCH_EMAIL_DOMAIN}`,
  brand_reviewer: `brand@${BENCH_EMAIL_DOMAIN}`,
  legal_reviewer: `legal@${BENCH_EMAIL_DOMAIN}`,
  analyst: `analyst@${BENCH_EMAIL_DOMAIN}`,
} as const;

/**
 * The owner of partner organisation `n` (1…PARTNERS). Clicks are skewed
 * towards the lowest-numbered links, so partner 1 is the busiest (about 8 %
 * of all clicks) and partner 1000 a typical one.
 */
export const partnerOwnerEmail = (n: number) => `owner-${n}@${BENCH_EMAIL_DOMAIN}`;
