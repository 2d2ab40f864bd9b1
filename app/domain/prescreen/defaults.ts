import type { ProgramRules } from "./types";

// The rule set a new program starts with. The admin edits every list in
// Settings; docs/prescreen.md explains each choice.

// The types the upload pipeline accepts (app/domain/creatives/catalog.ts); channels narrow them.
const RASTER_IMAGES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
const VIDEOS = ["video/mp4", "video/webm"] as const;
const MB = 1024 * 1024;

export const DEFAULT_RULES: ProgramRules = {
  version: 1,
  brandName: null,
  // FTC ("Disclosures 101") and ASA/CAP ("Influencers' guide") both name #ad
  // first. A bare "ad" is left out on purpose: as a word it is too easy to
  // write without meaning a disclosure ("ad: …", "not an ad"), and the issue
  // asks that "ad:" does not count. Admins who want "Ad" can add it.
  disclosurePhrases: ["#ad", "#advert", "#advertisement", "#sponsored", "Advertisement", "Paid partnership with {brand}", "Sponsored by {brand}"],
  // The FTC's 2017 letters call these unclear; they are named in the message
  // so the partner learns why the copy still fails.
  ambiguousDisclosureMarkers: [
    "#sp",
    "#spon",
    "#partner",
    "#partnership",
    "#collab",
    "#gifted",
    "#ambassador",
    "#affiliate",
    "thanks",
    "thank you",
    "in collaboration with",
    "in association with",
    "supported by",
  ],
  disclosureChannels: ["organic_social", "paid_social", "video"],
  disclosurePartnerTypes: ["creator"],
  // Instagram cuts a caption at about 125 characters ("… more").
  disclosureWithinChars: 125,
  bannedTerms: [],
  claimTriggers: [
    "%",
    "$",
    "£",
    "€",
    "best",
    "#1",
    "No. 1",
    "number one",
    "fastest",
    "cheapest",
    "healthiest",
    "strongest",
    "guarantee",
    "proven",
    "clinically",
    "scientifically",
    "free",
    "risk-free",
    "cure",
  ],
  claimTriggerExceptions: [
    "best friend",
    "best friends",
    "best wishes",
    "best regards",
    "all the best",
    "at best",
    "best of luck",
    "do my best",
    "did my best",
    "try my best",
    "tried my best",
    "do our best",
    "feel free",
    "free time",
    "free spirit",
    "free-spirited",
    "hands-free",
    "#1 fan",
    "number one fan",
    "tip #1",
    "step #1",
    "part #1",
    "day #1",
    "week #1",
    "episode #1",
    "chapter #1",
    "round #1",
    "reason #1",
    "rule #1",
    "look #1",
    "issue #1",
  ],
  allowedDomains: [],
  defaultChannelRules: {
    characterLimit: null,
    allowedFileTypes: [...RASTER_IMAGES, "application/pdf", ...VIDEOS],
    maxFileBytes: 100 * MB,
    minImageWidth: null,
    minImageHeight: null,
    maxPdfPages: 20,
  },
  channelRules: {
    // Feed images: 1080 px wide, down to the 1.91:1 landscape crop.
    organic_social: { characterLimit: 2200, allowedFileTypes: [...RASTER_IMAGES, ...VIDEOS], maxFileBytes: 100 * MB, minImageWidth: 1080, minImageHeight: 566 },
    paid_social: { allowedFileTypes: [...RASTER_IMAGES, ...VIDEOS], maxFileBytes: 100 * MB, minImageWidth: 1080, minImageHeight: 566 },
    video: { characterLimit: 5000, allowedFileTypes: [...VIDEOS, ...RASTER_IMAGES], maxFileBytes: 200 * MB, minImageWidth: 1280, minImageHeight: 720 },
    email: { allowedFileTypes: ["image/png", "image/jpeg", "image/gif"], maxFileBytes: 5 * MB, minImageWidth: 600, minImageHeight: null },
    website_blog: { allowedFileTypes: [...RASTER_IMAGES, "application/pdf"], maxFileBytes: 25 * MB, minImageWidth: 1200, minImageHeight: 630, maxPdfPages: 20 },
    events: { allowedFileTypes: [...RASTER_IMAGES, "application/pdf"], maxFileBytes: 200 * MB, maxPdfPages: 40 },
    marketplace: { allowedFileTypes: ["image/png", "image/jpeg"], maxFileBytes: 10 * MB, minImageWidth: 1000, minImageHeight: 1000 },
  },
};
