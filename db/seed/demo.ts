import { eq } from "drizzle-orm";
import { applications, partnerOrganisations, policies, programSettings, users } from "#db/schema/index";
import { refreshHealthScores } from "~/domain/partners/health-score.server";
import { inviteInternalUser } from "~/domain/accounts/invitations.server";
import { attemptLogin } from "~/domain/accounts/login.server";
import { requestPasswordReset } from "~/domain/accounts/passwords.server";
import { countUsers } from "~/domain/accounts/users.server";
import { approveApplication, rejectApplication, requestApplicationInfo, type Reviewer } from "~/domain/applications/decisions.server";
import type { ApplyInput } from "~/domain/applications/schemas.server";
import { submitApplication } from "~/domain/applications/submit.server";
import { acceptPolicyVersion, policyStandingFor } from "~/domain/policies/acceptance.server";
import { publishDraft, saveDraft } from "~/domain/policies/policies.server";
import { DEFAULT_RULES, updateBranding, updateProgramRules, updateProgramSummary } from "~/domain/settings/program.server";
import { approveClaim, createClaim, retireClaim } from "~/domain/claims/claims.server";
import type { ClaimInput } from "~/domain/claims/schemas.server";
import { createAsset } from "~/domain/assets/authoring.server";
import { newIds } from "~/domain/assets/intake.server";
import { originalKey } from "~/domain/assets/storage-keys";
import { storeUpload, UPLOAD_LIMITS } from "~/domain/assets/files.server";
import { addKitItem, createKit } from "~/domain/assets/kits.server";
import sharp from "sharp";
import { recordAuditNow } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { hashPassword } from "~/lib/password.server";
import { seedCreatives } from "./demo-creatives";
import { seedLinks } from "./demo-links";
import { seedConversions } from "./demo-conversions";
import { seedIncidents } from "./demo-incidents";
import { seedHealthSnapshots } from "./demo-health";
import { seedNotifications } from "./demo-notifications";
import { seedWebhooks } from "./demo-webhooks";
import { DEMO_GUIDELINES_UPDATE, DEMO_POLICY_TEXTS } from "./demo-policies";

export const DEMO_PASSWORD = "cobrand demo 2026";

export const DEMO_ACCOUNTS = [
  { email: "admin@demo.cobrand.test", name: "Alex Morgan", role: "admin" },
  { email: "brand@demo.cobrand.test", name: "Bea Lindqvist", role: "brand_reviewer" },
  { email: "legal@demo.cobrand.test", name: "Lena Okafor", role: "legal_reviewer" },
  { email: "analyst@demo.cobrand.test", name: "Sam Patel", role: "analyst" },
  { email: "owner@northwind.test", name: "Nora West", role: "partner", org: "Northwind Media", partnerRole: "owner" },
  { email: "member@northwind.test", name: "Nils Berg", role: "partner", org: "Northwind Media", partnerRole: "member" },
  { email: "owner@brightpath.test", name: "Priya Shah", role: "partner", org: "Brightpath Reviews", partnerRole: "owner" },
] as const;

const ORGANISATIONS = [
  {
    name: "Northwind Media",
    slug: "northwind-media",
    status: "onboarding" as const,
    partnerType: "publisher",
    tier: "strategic",
    commercialModel: "revenue_share" as const,
    rateBasisPoints: 1200,
    website: "https://northwind.test",
    regions: ["north_america", "europe"],
    channels: ["website_blog", "email", "organic_social"],
  },
  {
    name: "Brightpath Reviews",
    slug: "brightpath-reviews",
    status: "onboarding" as const,
    partnerType: "affiliate",
    tier: "standard",
    commercialModel: "revenue_share" as const,
    rateBasisPoints: 800,
    website: "https://brightpath.test",
    regions: ["uk_ireland"],
    channels: ["website_blog", "video"],
  },
];

const base = {
  socialHandles: null,
  privacyConsent: "yes" as const,
};

/** Applications in every state, with answers that exercise the score and the flags. */
const APPLICATIONS: (ApplyInput & { ip: string })[] = [
  {
    ...base,
    company: "Glow Home Journal",
    contactName: "Maya Fischer",
    email: "maya@glowhome.test",
    website: "https://glowhome.test",
    partnerType: "publisher",
    channels: ["website_blog", "email", "organic_social"],
    audienceSize: 85_000,
    regions: ["europe", "uk_ireland"],
    audienceDescription: "Homeowners renovating on a budget; 60% read our weekly newsletter on energy-saving upgrades.",
    promotionPlan: "An in-depth review of the starter kit, a seasonal lighting guide and a newsletter feature each quarter.",
    socialHandles: "@glowhomejournal on Instagram",
    ip: "203.0.113.10",
  },
  {
    ...base,
    company: "Smart Nest Reviews",
    contactName: "Diego Alvarez",
    email: "diego@smartnest.test",
    website: "https://smartnest.test",
    partnerType: "affiliate",
    channels: ["website_blog", "video"],
    audienceSize: 22_000,
    regions: ["north_america"],
    audienceDescription: "Smart-home enthusiasts comparing hubs, bulbs and sensors before buying.",
    promotionPlan: "Comparison tables and a YouTube setup walkthrough with our affiliate link in the description.",
    ip: "203.0.113.11",
  },
  {
    ...base,
    company: "DealDrop",
    contactName: "Kim Baxter",
    email: "kim.baxter@mailinator.com",
    website: "https://dealdrop.test",
    partnerType: "affiliate",
    channels: ["paid_social", "marketplace"],
    audienceSize: 1_500,
    regions: ["middle_east_africa"],
    audienceDescription: "Bargain hunters who follow our daily deal alerts.",
    promotionPlan: "Paid social ads pointing at discount codes.",
    ip: "203.0.113.12",
  },
  {
    ...base,
    company: "Lumière Living",
    contactName: "Camille Roux",
    email: "camille@lumiere-living.test",
    website: "https://lumiere-living.test",
    partnerType: "creator",
    channels: ["organic_social", "video"],
    audienceSize: 140_000,
    regions: ["europe"],
    audienceDescription: "Interior design lovers in France and Belgium; mostly 25–40.",
    promotionPlan: "Room makeover reels featuring Lumen scenes, with a disclosed partnership in every post.",
    socialHandles: "@lumiereliving on Instagram and TikTok",
    ip: "203.0.113.13",
  },
  {
    ...base,
    company: "Bright Ideas Podcast",
    contactName: "Tom Reilly",
    email: "tom@brightideas.test",
    website: null,
    partnerType: "creator",
    channels: ["video"],
    audienceSize: 9_000,
    regions: ["uk_ireland"],
    audienceDescription: "Listeners interested in home tech.",
    promotionPlan: "Host-read ads.",
    ip: "203.0.113.14",
  },
  {
    ...base,
    company: "Solstice Creators",
    contactName: "Ana Lima",
    email: "ana@solstice.test",
    website: "https://solstice.test",
    partnerType: "strategic",
    channels: ["website_blog", "events", "email"],
    audienceSize: 250_000,
    regions: ["north_america", "latin_america"],
    audienceDescription: "A creator collective of architects and lighting designers with a combined audience of 250k.",
    promotionPlan: "Co-hosted design events, a monthly newsletter slot and case studies on our blog.",
    ip: "203.0.113.15",
  },
  {
    ...base,
    company: "Quick Cash Coupons",
    contactName: "Rob Hale",
    email: "rob@quickcash.test",
    website: "https://quick-cash-coupons.test",
    partnerType: "affiliate",
    channels: ["paid_social"],
    audienceSize: 400,
    regions: ["north_america"],
    audienceDescription: "People looking for coupons.",
    promotionPlan: "Bid on the brand's name in search ads.",
    ip: "203.0.113.16",
  },
];

/** The terms at a glance on Lumen's public page. */
const LUMEN_SUMMARY = {
  earningsRows: [
    { tier: "strategic", model: "hybrid", range: "$500 per quarter plus 12–15% of each sale" },
    { tier: "standard", model: "revenue_share", range: "8–12% of each sale" },
    { tier: "trial", model: "revenue_share", range: "5% of each sale for the first 90 days" },
  ],
  summaryEarnings:
    "Commission is paid monthly, 30 days after the end of the month, once returns are settled. The tracking window is **30 days** from the last click. Standard partners above $20,000 in sales in a quarter move up to the strategic tier.",
  summaryRequirements: [
    "- An audience of at least **5,000** people on the channels you apply with",
    "- Content about homes, interiors, energy saving or smart devices",
    "- A clear disclosure of the partnership in every post, as the [FTC guides](https://www.ftc.gov/business-guidance/advertising-marketing/endorsements-influencers-reviews) ask",
    "- Product claims taken only from the approved claims library, with their disclaimers",
    "- No paid search on Lumen brand terms",
  ].join("\n"),
  summaryFaq: [
    "### How long does review take?",
    "Most applications get an answer within five working days. You can check the status at any time with your reference.",
    "",
    "### Do I get free products?",
    "Strategic partners receive a starter kit each season. Other tiers can request review units for planned content.",
    "",
    "### Can I use Lumen's logo?",
    "Yes: the current logos and images are in the portal once you are approved. Please do not change their colours or proportions.",
  ].join("\n"),
};

/**
 * A realistic demo program. Idempotent: a database that already has accounts
 * is left as it is. Changes go through the domain functions where they exist,
 * so the audit trail and outbox look as they would after real use.
 */
export async function seedDemo(app: AppContext): Promise<{ created: boolean }> {
  if ((await countUsers(app.db)) > 0) return { created: false };
  const db = app.db;
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await db.insert(programSettings).values({
    name: "Lumen Partner Program",
    tagline: "Grow with Lumen, the smart lighting brand",
    description: "Partner with Lumen to promote smart lighting that saves energy.",
    brandColor: "#0f766e",
  });
  const orgIds = new Map<string, string>();
  for (const org of ORGANISATIONS) {
    // They joined the program weeks ago: their creatives and links (demo-creatives.ts, demo-links.ts) date from then.
    const onboardingStartedAt = new Date(app.clock.now().getTime() - 45 * 86_400_000);
    const [row] = await db
      .insert(partnerOrganisations)
      .values({ ...org, onboardingStartedAt })
      .returning({ id: partnerOrganisations.id });
    orgIds.set(org.name, row!.id);
  }
  for (const account of DEMO_ACCOUNTS) {
    const partner = "org" in account;
    await db.insert(users).values({
      email: account.email,
      name: account.name,
      role: account.role,
      passwordHash,
      passwordChangedAt: new Date(),
      partnerOrgId: partner ? orgIds.get(account.org)! : null,
      partnerRole: partner ? account.partnerRole : null,
    });
  }
  const [admin] = await db.select().from(users).where(eq(users.email, "admin@demo.cobrand.test"));
  const actor = { id: admin!.id, label: admin!.email, ip: "127.0.0.1", name: admin!.name };
  await recordAuditNow(db, {
    actor,
    action: "demo.seeded",
    subjectType: "program",
    data: { accounts: DEMO_ACCOUNTS.length, organisations: ORGANISATIONS.length },
  });

  await updateBranding(app, actor, {
    name: "Lumen Partner Program",
    tagline: "Grow with Lumen, the smart lighting brand",
    description:
      "Lumen makes smart lighting for homes and offices. Our partners get approved brand assets, accurate product claims with their disclaimers, fast creative review and tracking links with honest reporting.",
    brandColor: "#0f766e",
  });
  const origin = app.config.publicUrl?.origin ?? `http://localhost:${app.config.port}`;
  await inviteInternalUser(app, actor, { email: "jordan@demo.cobrand.test", role: "brand_reviewer" }, origin);
  await updateProgramRules(app, actor, {
    ...DEFAULT_RULES,
    targetRegions: ["north_america", "europe", "uk_ireland"],
    regionsServed: ["north_america", "latin_america", "europe", "uk_ireland", "asia_pacific"],
    minAudienceSize: 5000,
    blockedEmailDomains: ["competitor-lights.test"],
  });
  await updateProgramSummary(app, actor, LUMEN_SUMMARY);
  await seedApplications(app, { ...actor, id: admin!.id }, origin);
  await seedPolicies(app, origin);
  await seedClaims(app);
  await seedAssets(app);
  await seedCreatives(app, origin);
  await seedLinks(app);
  await seedConversions(app);
  await seedIncidents(app, origin);
  await seedWebhooks(app);
  await seedNotifications(app);
  // The directory sorts by the stored score, which housekeeping would otherwise write only within the hour.
  await refreshHealthScores(db, app.clock.now());
  await seedHealthSnapshots(app);
  const meta = { ip: "198.51.100.23", userAgent: "Mozilla/5.0 (demo)" };
  await attemptLogin(app, { email: "brand@demo.cobrand.test", password: DEMO_PASSWORD }, meta);
  await attemptLogin(app, { email: "owner@northwind.test", password: "wrong password" }, meta);
  await attemptLogin(app, { email: "owner@northwind.test", password: DEMO_PASSWORD }, meta);
  await requestPasswordReset(app, "analyst@demo.cobrand.test", meta, origin);
  return { created: true };
}

async function seedApplications(app: AppContext, reviewer: Reviewer, origin: string): Promise<void> {
  const ids = new Map<string, string>();
  for (const { ip, ...answers } of APPLICATIONS) {
    const { reference } = await submitApplication(app, answers, { ip, userAgent: "Mozilla/5.0 (demo)" }, origin);
    const [row] = await app.db.select({ id: applications.id }).from(applications).where(eq(applications.reference, reference));
    ids.set(answers.company, row!.id);
  }
  await approveApplication(
    app,
    reviewer,
    ids.get("Solstice Creators")!,
    { intent: "approve", tier: "strategic", commercialModel: "co_op", amount: 15_000, currency: "USD", rate: undefined },
    origin,
  );
  await rejectApplication(app, reviewer, ids.get("Quick Cash Coupons")!, {
    intent: "reject",
    reason: "brand_safety",
    note: "Bidding on our brand name in search ads is not allowed in this program.",
  });
  await requestApplicationInfo(
    app,
    reviewer,
    ids.get("Bright Ideas Podcast")!,
    { intent: "request_info", message: "Could you share your podcast's website and recent download numbers per episode?" },
    origin,
  );
}

/**
 * The four default policies, published by the legal reviewer. Northwind's
 * owner accepts them all (the organisation becomes active); then a minor
 * update to the brand guidelines asks, without blocking. Northwind's member
 * and Brightpath's owner have accepted nothing, so they meet the gate.
 */
async function seedPolicies(app: AppContext, origin: string): Promise<void> {
  const db = app.db;
  const [legal] = await db.select().from(users).where(eq(users.email, "legal@demo.cobrand.test"));
  const author = { id: legal!.id, label: legal!.email, ip: "127.0.0.1" };
  const kinds = await db.select().from(policies);
  const idOf = (key: string) => kinds.find((p) => p.key === key)?.id;
  for (const [key, text] of Object.entries(DEMO_POLICY_TEXTS)) {
    const policyId = idOf(key);
    if (!policyId) continue;
    await saveDraft(app, author, policyId, text);
    await publishDraft(app, author, policyId, { material: true, confirmed: true }, origin);
  }
  const [nora] = await db.select().from(users).where(eq(users.email, "owner@northwind.test"));
  for (const p of await policyStandingFor(db, nora!.id)) {
    await acceptPolicyVersion(
      app,
      { id: nora!.id, email: nora!.email, partnerOrgId: nora!.partnerOrgId!, partnerRole: "owner" },
      { versionId: p.versionId, contentHash: p.contentHash },
      { ip: "198.51.100.23", userAgent: "Mozilla/5.0 (demo)" },
    );
  }
  const guidelines = idOf("brand_guidelines");
  if (guidelines) {
    await saveDraft(app, author, guidelines, DEMO_GUIDELINES_UPDATE);
    await publishDraft(app, author, guidelines, { material: false, confirmed: false }, origin);
  }
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Claims in every state; the approved ones cover Northwind's channels and regions. */
async function seedClaims(app: AppContext): Promise<void> {
  const db = app.db;
  const [brand] = await db.select().from(users).where(eq(users.email, "brand@demo.cobrand.test"));
  const [legal] = await db.select().from(users).where(eq(users.email, "legal@demo.cobrand.test"));
  const writer = { id: brand!.id, label: brand!.email, ip: "127.0.0.1" };
  const approver = { id: legal!.id, label: legal!.email, ip: "127.0.0.1" };
  const base = { ownerId: legal!.id, reviewBy: inDays(120), expiresOn: null, substantiation: "" };
  const CLAIMS: (ClaimInput & { state: "draft" | "approved" | "retired" })[] = [
    {
      ...base,
      state: "approved",
      text: "Lumen bulbs use up to 80% less energy than incandescent bulbs.",
      disclaimers: ["Compared with a 60 W incandescent bulb of the same brightness.", "Actual savings depend on use."],
      category: "Energy savings",
      channels: ["website_blog", "email", "organic_social", "video"],
      regions: ["north_america", "europe", "uk_ireland"],
      substantiation: "Lab report LR-2026-014 (TÜV), on file with Legal.",
    },
    {
      ...base,
      state: "approved",
      text: "Rated for 25,000 hours of light.",
      disclaimers: ["Based on 3 hours of use a day; L70 rating."],
      category: "Product features",
      channels: ["website_blog", "email", "video"],
      regions: ["north_america", "europe"],
      substantiation: "Manufacturer LM-80 data, test 2025-118.",
    },
    {
      ...base,
      state: "approved",
      text: "Set up in under five minutes with the Lumen app.",
      disclaimers: ["Requires a Lumen Scene Hub and a 2.4 GHz Wi-Fi network."],
      category: "Ease of use",
      channels: ["website_blog", "organic_social", "video"],
      regions: ["north_america", "europe", "uk_ireland"],
      substantiation: "Usability study US-2026-03, n=40, median 3m40s.",
    },
    {
      ...base,
      state: "approved",
      text: "Works with the major voice assistants.",
      disclaimers: ["Voice assistant sold separately; features vary by assistant."],
      category: "Product features",
      channels: ["email", "paid_social"],
      regions: ["europe"],
      expiresOn: inDays(200),
      substantiation: "Certification letters in the compliance drive.",
    },
    {
      ...base,
      state: "draft",
      text: "The greenest smart lighting on the market.",
      disclaimers: ["Based on our comparison of published energy ratings."],
      category: "Energy savings",
      channels: ["website_blog"],
      regions: ["europe"],
      substantiation: "Needs a comparison study before approval.",
    },
    {
      ...base,
      state: "retired",
      text: "Free shipping on every order.",
      disclaimers: ["Offer ended on 30 September."],
      category: "Offers",
      channels: ["email"],
      regions: ["north_america"],
    },
  ];
  for (const { state, ...input } of CLAIMS) {
    const { id } = await createClaim(app, writer, input);
    if (state !== "draft") await approveClaim(app, approver, id);
    if (state === "retired") await retireClaim(app, approver, id);
  }
}

const LOGO_SVG = (fill: string, text: string) => `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="400" viewBox="0 0 1200 400">
  <rect width="1200" height="400" rx="48" fill="${fill}"/>
  <circle cx="200" cy="200" r="120" fill="#fef3c7"/>
  <text x="380" y="250" font-family="sans-serif" font-size="160" fill="${text}">Lumen</text>
</svg>
`;

/** Logos, a product image and a guideline page, uploaded through the same checks as the admin form. */
async function seedAssets(app: AppContext): Promise<void> {
  const [brand] = await app.db.select().from(users).where(eq(users.email, "brand@demo.cobrand.test"));
  const actor = { id: brand!.id, label: brand!.email, ip: "127.0.0.1" };
  const details = {
    description: "",
    category: "",
    tags: [] as string[],
    visibleTiers: [] as string[],
    availableFrom: null,
    expiresAt: null,
    allowOriginal: true,
  };
  const photo = await sharp({ create: { width: 1600, height: 1067, channels: 3, background: "#0f172a" } })
    .composite([
      {
        input: Buffer.from(
          '<svg width="1600" height="1067"><circle cx="800" cy="480" r="260" fill="#fbbf24"/><rect x="760" y="720" width="80" height="160" fill="#e5e7eb"/></svg>',
        ),
      },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
  const files = [
    {
      kind: "logo" as const,
      title: "Lumen logo, teal",
      bytes: Buffer.from(LOGO_SVG("#0f766e", "#ffffff")),
      filename: "lumen-logo.svg",
      extra: { category: "Logos", tags: ["logo", "primary"] },
    },
    {
      kind: "logo" as const,
      title: "Lumen logo, on dark",
      bytes: Buffer.from(LOGO_SVG("#111827", "#fef3c7")),
      filename: "lumen-logo-dark.svg",
      extra: { category: "Logos", tags: ["logo", "dark"] },
    },
    {
      kind: "image" as const,
      title: "Scene Hub at night",
      bytes: photo,
      filename: "scene-hub.jpg",
      extra: { category: "Product photos", tags: ["product", "hub"], description: "The Lumen Scene Hub with a warm scene." },
    },
    {
      kind: "image" as const,
      title: "Strategic partner banner",
      bytes: photo,
      filename: "banner.jpg",
      extra: { category: "Campaigns", tags: ["campaign"], visibleTiers: ["strategic"] },
    },
  ];
  const kitItems: string[] = [];
  for (const file of files) {
    const ids = newIds();
    if (file.kind === "logo" || file.title.startsWith("Scene Hub")) kitItems.push(ids.assetId);
    const stored = await storeUpload(
      app.storage,
      originalKey(ids.assetId, ids.versionId),
      (async function* () {
        yield file.bytes;
      })(),
      UPLOAD_LIMITS[file.kind],
    );
    await createAsset(
      app,
      actor,
      ids,
      { ...details, ...file.extra, title: file.title, kind: file.kind },
      { kind: "file", file: { ...stored, filename: file.filename } },
    );
  }
  const kit = await createKit(app.db, actor, { name: "Starter kit", description: "Logos and a product photo", includeClaims: true });
  for (const assetId of kitItems) await addKitItem(app.db, actor, kit.id, { assetId, format: "png", width: 1024, background: "" }, app.clock.now());
  await createAsset(
    app,
    actor,
    newIds(),
    { ...details, title: "Using the Lumen name", category: "Guidelines", tags: ["guidelines"], kind: "guideline" },
    {
      kind: "body",
      body: "# Using the Lumen name\n\n- Write **Lumen** with a capital L.\n- Never combine the logo with your own mark.\n- Leave clear space around the logo equal to the height of the L.",
    },
  );
}
