// Shared with the browser bundle: the fixed vocabularies of the apply form.

export const PARTNER_TYPES = [
  { value: "affiliate", label: "Affiliate" },
  { value: "publisher", label: "Publisher" },
  { value: "creator", label: "Creator" },
  { value: "reseller", label: "Reseller" },
  { value: "strategic", label: "Strategic partner" },
] as const;

export const CHANNELS = [
  { value: "website_blog", label: "Website or blog" },
  { value: "email", label: "Email" },
  { value: "paid_social", label: "Paid social" },
  { value: "organic_social", label: "Organic social" },
  { value: "video", label: "Video" },
  { value: "events", label: "Events" },
  { value: "marketplace", label: "Marketplace" },
] as const;

export const REGIONS = [
  { value: "north_america", label: "North America" },
  { value: "latin_america", label: "Latin America" },
  { value: "europe", label: "Europe" },
  { value: "uk_ireland", label: "UK & Ireland" },
  { value: "middle_east_africa", label: "Middle East & Africa" },
  { value: "asia_pacific", label: "Asia Pacific" },
] as const;

export type PartnerType = (typeof PARTNER_TYPES)[number]["value"];
export type Channel = (typeof CHANNELS)[number]["value"];
export type Region = (typeof REGIONS)[number]["value"];

export const PARTNER_TYPE_VALUES = PARTNER_TYPES.map((t) => t.value) as [PartnerType, ...PartnerType[]];
export const CHANNEL_VALUES = CHANNELS.map((c) => c.value) as [Channel, ...Channel[]];
export const REGION_VALUES = REGIONS.map((r) => r.value) as [Region, ...Region[]];

const labels = new Map<string, string>([...PARTNER_TYPES, ...CHANNELS, ...REGIONS].map((o) => [o.value, o.label]));
export const labelOf = (value: string) => labels.get(value) ?? value;
