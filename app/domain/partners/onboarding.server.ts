import { eq } from "drizzle-orm";
import { partnerOrganisations } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { NotFoundError } from "../errors";
import { outstandingByMember } from "../policies/acceptance.server";
import { hasInvitedTeam } from "./team.server";
import { hasDownloadedKit } from "../assets/kits.server";
import { hasSubmittedCreative } from "../creatives/queries.server";
import { hasApprovedCreative } from "../review/review-queries.server";
import { getLinkSettings } from "../links/settings.server";

export type ChecklistStep = { key: string; title: string; detail: string; done: boolean; href: string | null; linkLabel: string | null };

/**
 * The onboarding checklist, computed from what the organisation has done,
 * never stored: a step is done exactly when its evidence exists.
 */
export async function onboardingChecklist(db: Db, partnerOrgId: string, viewer: { partnerRole: "owner" | "member" }): Promise<ChecklistStep[]> {
  const [org] = await db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, partnerOrgId));
  if (!org) throw new NotFoundError("Partner organisation not found.");
  const outstanding = await outstandingByMember(db, partnerOrgId);
  const invited = outstanding.size > 1 || (await hasInvitedTeam(db, partnerOrgId));
  const membersBehind = [...outstanding.values()].filter((n) => n > 0).length;
  const owner = viewer.partnerRole === "owner";
  const [kitDownloaded, creativeSubmitted, creativeApproved, linkSettings] = await Promise.all([
    hasDownloadedKit(db, partnerOrgId),
    hasSubmittedCreative(db, partnerOrgId),
    hasApprovedCreative(db, partnerOrgId),
    getLinkSettings(db),
  ]);
  // Alone on the team, the person reading this accepted already (the gate saw to it):
  // "everyone accepted" would be a step ticked for nothing.
  const hasColleagues = outstanding.size > 1;
  const steps: ChecklistStep[] = [
    {
      key: "policies_accepted",
      title: "Accept the program policies",
      detail: org.activatedAt
        ? "Your organisation's owner accepted the required policies and the partnership is active."
        : "The partnership becomes active once your organisation's owner accepts every required policy.",
      done: org.activatedAt !== null,
      href: "/partner/policies",
      linkLabel: "Policies",
    },
    {
      key: "team_invited",
      title: "Invite your team",
      detail: invited
        ? "Your colleagues have been invited to the partner area."
        : owner
          ? "Add the colleagues who will use the brand's assets and links."
          : "Your organisation's owner invites colleagues.",
      done: invited,
      href: owner ? "/partner/team" : null,
      linkLabel: owner ? "Invite colleagues" : null,
    },
    {
      key: "kit_downloaded",
      title: "Download the brand kit",
      detail: kitDownloaded ? "Your organisation has the brand kit." : "Logos, images and the claims sheet in one ZIP.",
      done: kitDownloaded,
      href: "/partner/assets",
      linkLabel: "Brand assets",
    },
    {
      key: "creative_submitted",
      title: "Submit your first creative",
      detail: creativeSubmitted
        ? "Your organisation has sent creative to the brand for review."
        : "Write it with the brand's claims; the pre-screen checks it as you type, then a reviewer decides.",
      done: creativeSubmitted,
      href: "/partner/creatives",
      linkLabel: "Creatives",
    },
    {
      key: "creative_approved",
      title: "First creative approved",
      detail: creativeApproved
        ? "The brand approved a creative of yours: use it exactly as approved."
        : "Reviewers decide within the program's review times; their comments say what to change.",
      done: creativeApproved,
      href: "/partner/creatives",
      linkLabel: "Creatives",
    },
    {
      key: "first_link_live",
      title: "First link live",
      // Set by the click recorder on the first click that is neither a test nor a bot's.
      detail:
        org.firstLinkLiveAt !== null
          ? "A visitor has reached the brand through one of your links."
          : "Share your link where your audience is. Your test clicks do not count: the first real visitor's click ticks this step.",
      done: org.firstLinkLiveAt !== null,
      href: "/partner/links",
      linkLabel: "Links",
    },
    {
      key: "tracking_validated",
      title: "Tracking validated",
      // Set when the brand's systems post a test conversion that is attributed to one of the organisation's test clicks.
      detail:
        org.trackingValidatedAt !== null
          ? "A test conversion from the brand's systems was attributed to your test click: your sales will be counted for you."
          : `Send a test click from one of your links and copy the click id from the address you land on (the ${linkSettings.clickIdParam}=… part). Ask your contact at the brand to post a test conversion with that click id: this step ticks when it is attributed to you.`,
      done: org.trackingValidatedAt !== null,
      href: "/partner/links",
      linkLabel: "Links",
    },
    {
      key: "team_covered",
      title: "Everyone on your team has accepted the current policies",
      detail:
        membersBehind === 0
          ? "Every active member has accepted the current version of each required policy."
          : `${membersBehind} ${membersBehind === 1 ? "person has" : "people have"} not accepted the current policies yet.`,
      done: membersBehind === 0,
      href: "/partner/team",
      linkLabel: "See who",
    },
  ];
  return hasColleagues ? steps : steps.filter((step) => step.key !== "team_covered");
}
