// Row keys of the Performance report that its pages read as well as the
// server: a plain module, since a page's bundle gets nothing of a *.server.ts
// module (a constant imported from one is undefined in the browser).

/** The channel (and link) key of coupon code conversions: they have no link, so no channel. */
export const COUPON_CHANNEL = "~coupon";
