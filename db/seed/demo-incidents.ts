import { eq } from "drizzle-orm";
import { partnerOrganisations, trackingLinks, users } from "#db/schema/index";
import { addNote, changeStatus, openIncident, partnerReply, shareWithPartner } from "~/domain/incidents/incidents.server";
import { pausePartner } from "~/domain/partners/lifecycle.server";
import type { AppContext } from "~/lib/context.server";

// Incidents for the demo (issue 17 point 2), made through the domain:
// - Northwind's newsletter link (disabled in demo-links.ts for calling the
//   starter kit "free"): an incident about it, owned by the brand reviewer,
//   shared with Northwind, with an internal note, a note for the partner and
//   Nora's reply: what both sides of an incident look like;
// - Solstice Creators paused by the admin: the kill switch opens its incident.

const DAY = 86_400_000;

const daysAgo = (app: AppContext, days: number): AppContext => ({ ...app, clock: { now: () => new Date(app.clock.now().getTime() - days * DAY) } });

async function userByEmail(app: AppContext, email: string) {
  const [user] = await app.db.select().from(users).where(eq(users.email, email));
  return user!;
}

export async function seedIncidents(app: AppContext, origin: string): Promise<void> {
  const db = app.db;
  const admin = await userByEmail(app, "admin@demo.cobrand.test");
  const bea = await userByEmail(app, "brand@demo.cobrand.test");
  const nora = await userByEmail(app, "owner@northwind.test");
  const adminActor = { id: admin.id, label: admin.email, ip: "127.0.0.1" };
  const beaActor = { id: bea.id, label: bea.email, ip: "127.0.0.1" };

  const [newsletter] = await db.select().from(trackingLinks).where(eq(trackingLinks.label, "Newsletter footer"));
  if (newsletter) {
    const { id } = await openIncident(daysAgo(app, 2), beaActor, {
      organisationId: newsletter.organisationId,
      title: "Newsletter footer calls the starter kit free",
      kind: "misleading_claim",
      severity: "medium",
      description:
        "Northwind's newsletter footer says the Lumen starter kit is “free”. It is sold at full price; the link was disabled until the footer is fixed.",
      ownerId: bea.id,
      object: { kind: "link", id: newsletter.id },
    });
    await addNote(daysAgo(app, 2), beaActor, id, {
      body: "First time for Northwind; their other placements are clean. No need to escalate to legal.",
      visibility: "internal",
    });
    await addNote(daysAgo(app, 2), beaActor, id, {
      body: "Hello Nora, the footer of your newsletter calls the starter kit free. Could you change it to “from $49” and tell us here? We re-enable the link once it is fixed.",
      visibility: "partner",
    });
    await shareWithPartner(daysAgo(app, 2), beaActor, id, origin);
    await changeStatus(daysAgo(app, 2), beaActor, id, { status: "investigating", note: null });
    await partnerReply(
      daysAgo(app, 1),
      { id: nora.id, label: nora.email, ip: "198.51.100.23", name: nora.name, partnerOrgId: nora.partnerOrgId! },
      id,
      { body: "Sorry about that: the template was from an old giveaway. The next issue goes out on Thursday with the new wording." },
      origin,
    );
  }

  const [solstice] = await db.select().from(partnerOrganisations).where(eq(partnerOrganisations.slug, "solstice-creators"));
  if (solstice) {
    const { incident } = await pausePartner(
      app,
      adminActor,
      solstice.id,
      { reason: "Sponsored videos went live without the #ad disclosure while the owner's invitation is still pending." },
      origin,
    );
    if (incident) {
      await addNote(app, adminActor, incident.id, {
        body: "Paused until we reach Ana Lima; resume once the videos carry the disclosure.",
        visibility: "internal",
      });
    }
  }
}
