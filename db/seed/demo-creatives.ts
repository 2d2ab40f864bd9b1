import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { claims, creativeVersionFiles, creativeVersions, users } from "#db/schema/index";
import { uploadCreativeFile } from "~/domain/creatives/files.server";
import { saveRuleSet } from "~/domain/creatives/rules.server";
import type { CreativeDraftInput } from "~/domain/creatives/schemas.server";
import { createCreativeDraft, submitCreative, updateCreativeDraft, withdrawCreative, type PartnerActor } from "~/domain/creatives/submissions.server";
import { DEFAULT_RULES } from "~/domain/prescreen";
import { addComment } from "~/domain/review/comments.server";
import { claimStage, decideStage, revokeApproval, type ReviewerActor } from "~/domain/review/decisions.server";
import type { AppContext } from "~/lib/context.server";

// Creative submissions in every state, for the demo (issue 13). Everything a
// partner does goes through the domain (draft, upload, submit, withdraw), so
// the versions, their pre-screen findings, the stored files and the audit
// trail are what real use would leave behind.

/** The demo brand's own domain: destinations must point there. */
export const DEMO_BRAND_DOMAIN = "lumen.test";

const BRAND_COLOR = "#0f766e";

// The approved library claims the copy uses, word for word with their disclaimers (db/seed/demo.ts, seedClaims).
const ENERGY = "Lumen bulbs use up to 80% less energy than incandescent bulbs.";
const ENERGY_NOTES = "*Compared with a 60 W incandescent bulb of the same brightness. Actual savings depend on use.";
const LIFETIME = "Rated for 25,000 hours of light.";
const LIFETIME_NOTE = "*Based on 3 hours of use a day; L70 rating.";
const SETUP = "Set up in under five minutes with the Lumen app.";
const SETUP_NOTE = "*Requires a Lumen Scene Hub and a 2.4 GHz Wi-Fi network.";

type DemoFile = { name: string; headline: string[]; accent: string; format: "png" | "jpeg" } | { name: string; pdf: string[][] };

/**
 * What the brand's reviewers did with a submission, through the same domain
 * functions the review page calls (claims, decisions, pinned comments), so
 * the stages, due times, emails and audit trail are real.
 */
type ReviewStory =
  /** Waiting for brand review, nobody has claimed it. */
  | "waiting"
  /** Bea (brand) has claimed it and is on it. */
  | "claimed"
  /** Brand approved; legal's turn. */
  | "legal_turn"
  | "changes_requested"
  | "approved"
  /** Approved, then legal took the approval back. */
  | "revoked"
  | "rejected";

type DemoCreative = {
  draft: Omit<CreativeDraftInput, "claimIds"> & { claims: string[] };
  files: DemoFile[];
  /** Stop at draft (the pre-screen's errors stay in it), or submit and then…: */
  then: "draft" | ReviewStory | { withdraw: string };
  /** How long ago it was submitted: old enough, and its review is overdue (48-hour SLA). */
  submittedDaysAgo?: number;
  /** After changes were requested: the partner's working copy of the next version, with any new files. */
  nextVersion?: { draft: Omit<CreativeDraftInput, "claimIds"> & { claims: string[] }; files: DemoFile[] };
};

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const link = (path: string, campaign: string) => `https://${DEMO_BRAND_DOMAIN}${path}?utm_source=northwind-media&utm_medium=partner&utm_campaign=${campaign}`;

const CAROUSEL_V1 = `#ad Our electricity bill after switching the whole flat to Lumen: noticeably smaller. Cheapest upgrade we made all year! ${ENERGY}*

Swipe for the before and after.

${ENERGY_NOTES}

#smarthome #energysaving`;

/**
 * Northwind Media's creatives, one story per state. Northwind is the demo's
 * only active organisation (Brightpath's owner has not accepted the policies,
 * so she could not have used the creatives pages), so all are Nora's.
 */
const CREATIVES: DemoCreative[] = [
  {
    // A draft the pre-screen would refuse: organic social needs a clear disclosure up front, and "#partner" is not one.
    draft: {
      title: "Reel: cosy autumn evenings",
      channel: "organic_social",
      placement: "Instagram reel caption",
      plannedLaunchOn: inDays(21),
      destinationUrl: link("/scenes/autumn", "autumn-reel"),
      copy: `Cosy autumn evenings at the Northwind studio 🍂 We swapped every lamp for Lumen and set the whole room to a warm sunset scene. ${SETUP}*

${SETUP_NOTE}

#partner #smarthome #cosyhome`,
      claims: [SETUP],
      disclosure: "",
    },
    files: [{ name: "autumn-reel-cover.png", headline: ["Cosy autumn", "evenings"], accent: "#f59e0b", format: "png" }],
    then: "draft",
  },
  {
    // Just started: no files yet, nothing to check.
    draft: {
      title: "Email: holiday gift guide",
      channel: "email",
      placement: "December newsletter, gift guide",
      plannedLaunchOn: inDays(45),
      destinationUrl: "",
      copy: "Gift idea for the friend who is always fiddling with the light switch: a Lumen starter kit. (Write-up to follow.)",
      claims: [],
      disclosure: "",
    },
    files: [],
    then: "draft",
  },
  {
    // Clean: disclosure first, an approved claim with its disclaimer, a link to the brand's site.
    draft: {
      title: "Instagram: movie night in one tap",
      channel: "organic_social",
      placement: "Instagram feed post",
      plannedLaunchOn: inDays(10),
      destinationUrl: link("/scene-hub", "movie-night"),
      copy: `#ad Movie night, sorted: one tap in the Lumen app dims the living room to a warm glow. ${SETUP}*

Get the Scene Hub through the link in our bio.

${SETUP_NOTE}

#smarthome #movienight`,
      claims: [SETUP],
      disclosure: "#ad",
    },
    files: [{ name: "movie-night.png", headline: ["Movie night,", "one tap away"], accent: "#fbbf24", format: "png" }],
    // Overdue: submitted three days ago and nobody has claimed it yet.
    then: "waiting",
    submittedDaysAgo: 3,
  },
  {
    // Submitted with a warning: "the best smart bulb on the market" is a claim the library does not hold.
    draft: {
      title: "Newsletter: winter lighting picks",
      channel: "email",
      placement: "Weekly newsletter, featured slot",
      plannedLaunchOn: inDays(7),
      destinationUrl: link("/bulbs", "winter-picks"),
      copy: `This week's pick: Lumen smart bulbs. Honestly, it is the best smart bulb on the market, and our readers agree. ${ENERGY}*

Shop the range on the Lumen site.

${ENERGY_NOTES}`,
      claims: [ENERGY],
      disclosure: "",
    },
    files: [{ name: "winter-picks.jpg", headline: ["Winter", "lighting picks"], accent: "#e0f2fe", format: "jpeg" }],
    // Brand approved it despite the warning (the claim is the library's; "best" is the writer's opinion, flagged); legal's turn.
    then: "legal_turn",
    submittedDaysAgo: 1,
  },
  {
    // A blog review a reviewer has picked up, with its scorecard as a PDF.
    draft: {
      title: "Blog: a year with Lumen bulbs",
      channel: "website_blog",
      placement: "northwind.test/reviews, long-term review",
      plannedLaunchOn: inDays(14),
      destinationUrl: link("/bulbs", "year-review"),
      copy: `We lived with Lumen bulbs for a year in our test house. The warm white is pleasant for reading, the morning schedules ran every day, and the bulbs are rated for 25,000 hours of light.*

Our verdict: a solid, quiet upgrade that we stopped noticing, in the good way.

${LIFETIME_NOTE}`,
      claims: [LIFETIME],
      disclosure: "This review is sponsored by Lumen.",
    },
    files: [
      { name: "year-with-lumen.jpg", headline: ["A year with", "Lumen bulbs"], accent: "#fde68a", format: "jpeg" },
      {
        name: "review-scorecard.pdf",
        pdf: [
          ["Northwind Media: long-term review", "Lumen smart bulbs, 12 months", "Light quality: 4.5 / 5", "App and schedules: 4 / 5"],
          ["Method", "Six bulbs in a test house, used daily.", "Rated for 25,000 hours of light.*", "*Based on 3 hours of use a day; L70 rating."],
        ],
      },
    ],
    then: "claimed",
    submittedDaysAgo: 2.5,
  },
  {
    // Changes requested on version 1 (its warning: "Cheapest"); the partner has started version 2.
    draft: {
      title: "Instagram: energy savings carousel",
      channel: "organic_social",
      placement: "Instagram carousel, 2 slides",
      plannedLaunchOn: inDays(12),
      destinationUrl: link("/bulbs", "energy-carousel"),
      copy: CAROUSEL_V1,
      claims: [ENERGY],
      disclosure: "#ad",
    },
    files: [{ name: "carousel-1.png", headline: ["Up to 80%", "less energy*"], accent: "#bbf7d0", format: "png" }],
    then: "changes_requested",
    submittedDaysAgo: 4,
    nextVersion: {
      draft: {
        title: "Instagram: energy savings carousel",
        channel: "organic_social",
        placement: "Instagram carousel, 2 slides",
        plannedLaunchOn: inDays(12),
        destinationUrl: link("/bulbs", "energy-carousel"),
        copy: CAROUSEL_V1.replace("Cheapest upgrade we made all year!", "The easiest upgrade we made all year."),
        claims: [ENERGY],
        disclosure: "#ad",
      },
      files: [{ name: "carousel-2.png", headline: ["Before and after:", "our bill"], accent: "#bbf7d0", format: "png" }],
    },
  },
  {
    // Approved: an email feature with the lifetime claim and its note.
    draft: {
      title: "Newsletter: light that lasts",
      channel: "email",
      placement: "Monthly newsletter, partner spotlight",
      plannedLaunchOn: inDays(3),
      destinationUrl: link("/starter-kit", "light-that-lasts"),
      copy: `Light that lasts

Our team has had Lumen bulbs in the office since spring. ${LIFETIME}* One less thing to think about, and a warmer office too.

Read our review and pick up a starter kit on the Lumen site.

${LIFETIME_NOTE}`,
      claims: [LIFETIME],
      disclosure: "Sponsored content",
    },
    files: [{ name: "light-that-lasts.png", headline: ["Light that", "lasts"], accent: "#fef3c7", format: "png" }],
    then: "approved",
    // Long enough ago for its tracking link to have a few weeks of clicks (demo-links.ts).
    submittedDaysAgo: 26,
  },
  {
    // Rejected: a discount and a guarantee the program never offered (both warnings for the reviewer).
    draft: {
      title: "Instagram story: weekend flash sale",
      channel: "organic_social",
      placement: "Instagram story",
      plannedLaunchOn: inDays(2),
      destinationUrl: link("/starter-kit", "flash-sale"),
      copy: `#ad Flash sale! Take 30% off every Lumen starter kit this weekend with code NORTHWIND30. Guaranteed to make your home glow.

#smarthome #deals`,
      claims: [],
      disclosure: "#ad",
    },
    files: [{ name: "flash-sale.jpg", headline: ["Weekend", "flash sale"], accent: "#fca5a5", format: "jpeg" }],
    then: "rejected",
    submittedDaysAgo: 5,
  },
  {
    // Withdrawn by the partner before a decision, with the reason the reviewers were sent.
    draft: {
      title: "Blog: smart lighting for renters",
      channel: "website_blog",
      placement: "northwind.test/guides",
      plannedLaunchOn: inDays(30),
      destinationUrl: link("/bulbs", "renters-guide"),
      copy: `Renting? You can still have smart lighting: Lumen bulbs screw into the fittings you already have and go with you when you move. ${ENERGY}*

${ENERGY_NOTES}`,
      claims: [ENERGY],
      disclosure: "This guide is sponsored by Lumen.",
    },
    files: [{ name: "renters-guide.png", headline: ["Smart lighting", "for renters"], accent: "#ddd6fe", format: "png" }],
    then: { withdraw: "Our editor moved this guide to the spring issue. We will send a new version with updated photos then." },
  },
  {
    // Approved, then revoked when the bundle it promotes was discontinued.
    draft: {
      title: "Landing page: Scene Hub bundle",
      channel: "website_blog",
      placement: "northwind.test/deals, evergreen",
      plannedLaunchOn: inDays(-5),
      destinationUrl: link("/scene-hub", "hub-bundle"),
      copy: `The Lumen Scene Hub bundle: a hub and four bulbs, ready for your first scenes. ${SETUP}*

${SETUP_NOTE}`,
      claims: [SETUP],
      disclosure: "This page contains affiliate links to Lumen.",
    },
    files: [{ name: "hub-bundle.png", headline: ["Scene Hub", "bundle"], accent: "#a7f3d0", format: "png" }],
    then: "revoked",
    submittedDaysAgo: 21,
  },
];

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A 1200 × 1200 social tile: the brand colour, a glowing bulb, the headline and both names. */
function tileSvg(headline: string[], accent: string): string {
  const lines = headline
    .map((line, i) => `<text x="96" y="${820 + i * 104}" font-family="sans-serif" font-weight="bold" font-size="92" fill="#ffffff">${escapeXml(line)}</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1200" viewBox="0 0 1200 1200">
  <defs><radialGradient id="glow"><stop offset="0" stop-color="${accent}" stop-opacity="0.9"/><stop offset="1" stop-color="${accent}" stop-opacity="0"/></radialGradient></defs>
  <rect width="1200" height="1200" fill="${BRAND_COLOR}"/>
  <circle cx="820" cy="380" r="330" fill="url(#glow)"/>
  <circle cx="820" cy="360" r="150" fill="#fef3c7"/>
  <rect x="770" y="500" width="100" height="110" rx="16" fill="#e5e7eb"/>
  ${lines}
  <text x="96" y="1110" font-family="sans-serif" font-size="40" fill="#ccfbf1">Lumen × Northwind Media</text>
</svg>`;
}

async function renderImage(file: { headline: string[]; accent: string; format: "png" | "jpeg" }): Promise<Buffer> {
  const image = sharp(Buffer.from(tileSvg(file.headline, file.accent)));
  return file.format === "png" ? image.png().toBuffer() : image.jpeg({ quality: 82 }).toBuffer();
}

const pdfString = (text: string) => `(${text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "?")})`;

/**
 * A small valid PDF (A4 pages of Helvetica text lines, a correct
 * cross-reference table): the same idea as tests/support/pdf.ts, kept here so
 * the seed never imports from the tests.
 */
function makePdf(pages: string[][]): Buffer {
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 4 + i * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  pages.forEach((lines, i) => {
    const id = pageIds[i]!;
    const text = lines.map((line, n) => `${n === 0 ? "/F1 28 Tf" : "/F1 16 Tf"} 1 0 0 1 72 ${760 - n * 40} Tm ${pdfString(line)} Tj`).join(" ");
    const stream = `0.06 0.46 0.43 rg 0 792 595 50 re f 0 0 0 rg BT ${text} ET`;
    objects[id] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${Buffer.byteLength(stream, "latin1")} >>\nstream\n${stream}\nendstream`;
  });
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(body, "latin1");
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** Uploads a file as the partner's browser would: a multipart form through the same checks and storage as real uploads. */
async function upload(app: AppContext, partner: PartnerActor, creativeId: string, file: DemoFile, origin: string): Promise<void> {
  const bytes = "pdf" in file ? makePdf(file.pdf) : await renderImage(file);
  const type = "pdf" in file ? "application/pdf" : file.format === "png" ? "image/png" : "image/jpeg";
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), file.name);
  await uploadCreativeFile(app, partner, creativeId, new Request(`${origin}/partner/creatives/${creativeId}/files`, { method: "POST", body: form }));
}

type Reviewers = { brand: ReviewerActor & { role: "brand_reviewer" }; legal: ReviewerActor & { role: "legal_reviewer" } };

/** The context as it stood `days` ago: the domain reads the time from its clock, so due times and audit times follow. */
const daysAgo = (app: AppContext, days: number): AppContext => ({ ...app, clock: { now: () => new Date(app.clock.now().getTime() - days * 86_400_000) } });

/** The first file of the version, where a reviewer pins a comment. */
async function firstFileOf(app: AppContext, creativeId: string, number: number): Promise<string> {
  const [row] = await app.db
    .select({ fileId: creativeVersionFiles.fileId })
    .from(creativeVersionFiles)
    .innerJoin(creativeVersions, eq(creativeVersions.id, creativeVersionFiles.versionId))
    .where(and(eq(creativeVersions.creativeId, creativeId), eq(creativeVersions.number, number)))
    .orderBy(creativeVersionFiles.position)
    .limit(1);
  if (!row) throw new Error(`Version ${number} of creative ${creativeId} has no file.`);
  return row.fileId;
}

/** What the reviewers did, some hours after the submission (`at`), in the order they would have. */
async function review(at: AppContext, hoursLater: (h: number) => AppContext, creativeId: string, story: ReviewStory, reviewers: Reviewers): Promise<void> {
  const { brand, legal } = reviewers;
  const decide = (ctx: AppContext, who: ReviewerActor, stage: "brand" | "legal", decision: string, comment?: string) =>
    decideStage(ctx, who, creativeId, { stage, version: 1, decision, comment });
  switch (story) {
    case "waiting":
      return;
    case "claimed":
      await claimStage(hoursLater(3), brand, creativeId, "brand");
      return;
    case "legal_turn":
      await claimStage(hoursLater(2), brand, creativeId, "brand");
      await decide(hoursLater(4), brand, "brand", "approve");
      return;
    case "changes_requested": {
      await claimStage(hoursLater(5), brand, creativeId, "brand");
      const fileId = await firstFileOf(at, creativeId, 1);
      await addComment(hoursLater(6), brand, creativeId, {
        version: 1,
        fileId,
        page: 1,
        x: 0.3,
        y: 0.72,
        body: "Add the asterisk after “80%” here too, so the slide points to the disclaimer.",
      });
      await decide(
        hoursLater(6),
        brand,
        "brand",
        "request_changes",
        "“Cheapest upgrade we made all year” reads as a price claim we cannot back. Please rephrase it, and see the pin on the first slide.",
      );
      return;
    }
    case "approved":
      await claimStage(hoursLater(1), brand, creativeId, "brand");
      await decide(hoursLater(3), brand, "brand", "approve");
      await decide(hoursLater(20), legal, "legal", "approve", "The lifetime claim and its note match the library.");
      return;
    case "revoked":
      await decide(hoursLater(2), brand, "brand", "approve");
      await decide(hoursLater(6), legal, "legal", "approve");
      await revokeApproval(
        hoursLater(30),
        legal,
        creativeId,
        "The Scene Hub bundle this page links to was discontinued. Please take the page down; a new bundle is coming in spring.",
      );
      return;
    case "rejected":
      await decide(
        hoursLater(8),
        brand,
        "brand",
        "reject",
        "The program offers no discount code and no guarantee, so this cannot run. Talk to us about the spring promotion instead.",
      );
      return;
  }
}

/**
 * The pre-screen's rules with the brand's domain allowlisted (version 1):
 * the defaults allow no destination at all, which refuses every link.
 * Then Northwind's creatives, one for each state.
 */
export async function seedCreatives(app: AppContext, origin: string): Promise<void> {
  const db = app.db;
  const [admin] = await db.select().from(users).where(eq(users.email, "admin@demo.cobrand.test"));
  await saveRuleSet(app, { id: admin!.id, label: admin!.email, ip: "127.0.0.1" }, { ...DEFAULT_RULES, allowedDomains: [DEMO_BRAND_DOMAIN] });

  const [nora] = await db.select().from(users).where(eq(users.email, "owner@northwind.test"));
  const partner: PartnerActor = { id: nora!.id, label: nora!.email, ip: "198.51.100.23", name: nora!.name, partnerOrgId: nora!.partnerOrgId! };
  const approved = await db.select({ id: claims.id, text: claims.text }).from(claims).where(eq(claims.status, "approved"));
  const claimIdOf = (text: string) => {
    const claim = approved.find((c) => c.text === text);
    if (!claim) throw new Error(`The demo claims have no approved claim "${text}".`);
    return claim.id;
  };
  const input = ({ claims: texts, ...draft }: DemoCreative["draft"]): CreativeDraftInput => ({ ...draft, claimIds: texts.map(claimIdOf) });

  const reviewerOf = async <R extends "brand_reviewer" | "legal_reviewer">(email: string, role: R) => {
    const [user] = await db.select().from(users).where(eq(users.email, email));
    return { id: user!.id, label: user!.email, ip: "127.0.0.1", role };
  };
  const reviewers: Reviewers = {
    brand: await reviewerOf("brand@demo.cobrand.test", "brand_reviewer"),
    legal: await reviewerOf("legal@demo.cobrand.test", "legal_reviewer"),
  };

  for (const creative of CREATIVES) {
    const { id } = await createCreativeDraft(app, partner, input(creative.draft));
    for (const file of creative.files) await upload(app, partner, id, file, origin);
    if (creative.then === "draft") continue;
    const days = creative.submittedDaysAgo ?? 0;
    const at = daysAgo(app, days);
    await submitCreative(at, partner, id, origin);
    if (typeof creative.then === "object") await withdrawCreative(app, partner, id, creative.then.withdraw, origin);
    else await review(at, (hours) => daysAgo(app, days - hours / 24), id, creative.then, reviewers);
    if (creative.nextVersion) {
      await updateCreativeDraft(app, partner, id, input(creative.nextVersion.draft));
      for (const file of creative.nextVersion.files) await upload(app, partner, id, file, origin);
    }
  }
}
