import { and, asc, desc, eq, isNotNull, max, ne, sql } from "drizzle-orm";
import { diffWords } from "diff";
import { partnerOrganisations, policies, policyVersions, users, type Policy } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { slugify } from "~/lib/slug";
import { DomainError, NotFoundError } from "../errors";
import { policyPublishedEmail } from "../notifications/emails.server";
import { notify } from "../notifications/notify.server";
import { emailBrand, getBranding } from "../settings/program.server";
import { POLICIES_PATH } from "./catalog";
import { normalisePolicyBody, policyContentHash, renderPolicyMarkdown, renderPolicyPlainText } from "./markdown.server";

/** Every policy with its current (newest published) version number and whether a draft is open. */
export async function listPolicies(db: Db) {
  const rows = await db
    .select({
      id: policies.id,
      key: policies.key,
      title: policies.title,
      description: policies.description,
      required: policies.required,
      // Aliased subqueries: drizzle renders bare column names inside sql``, which would bind to the inner table.
      currentNumber: sql<number | null>`(select max(pv.number) from policy_versions pv where pv.policy_id = "policies"."id" and pv.status = 'published')`,
      currentPublishedAt: sql<
        string | null
      >`(select max(pv.published_at) from policy_versions pv where pv.policy_id = "policies"."id" and pv.status = 'published')`,
      hasDraft: sql<boolean>`exists (select 1 from policy_versions pv where pv.policy_id = "policies"."id" and pv.status = 'draft')`,
    })
    .from(policies)
    .orderBy(desc(policies.required), asc(policies.createdAt), asc(policies.title));
  return rows;
}

/** A policy's key, unique among policies, so two spellings of one name ("Terms & Conditions", "terms and conditions") are one policy. */
const keyFrom = (title: string): string => slugify(title, { separator: "_", fallback: "policy" });

/** Adds a kind of policy. Its first version is written as a draft. */
export async function createPolicy(ctx: AppContext, actor: Actor, input: { title: string; description: string; required: boolean }): Promise<{ id: string }> {
  return transaction(ctx.db, async (tx) => {
    const key = keyFrom(input.title);
    const [existing] = await tx.select({ id: policies.id }).from(policies).where(eq(policies.key, key));
    if (existing) throw new DomainError("A policy with this name already exists.", { field: "title", kind: "conflict" });
    const [row] = await tx
      .insert(policies)
      .values({ key, title: input.title, description: input.description, required: input.required })
      .returning({ id: policies.id });
    await recordAudit(tx, {
      actor,
      action: "policy.created",
      subjectType: "policy",
      subjectId: row!.id,
      data: { key, title: input.title, required: input.required },
      at: ctx.clock.now(),
    });
    return row!;
  });
}

/** Whether partners must accept this policy before the partner area opens. */
export async function setPolicyRequired(ctx: AppContext, actor: Actor, policyId: string, required: boolean): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const [row] = await tx.select().from(policies).where(eq(policies.id, policyId)).for("update");
    if (!row) throw new NotFoundError("Policy not found.");
    if (row.required === required) return;
    await tx.update(policies).set({ required }).where(eq(policies.id, policyId));
    await recordAudit(tx, {
      actor,
      action: "policy.required_changed",
      subjectType: "policy",
      subjectId: policyId,
      data: { from: row.required, to: required },
      at: ctx.clock.now(),
    });
  });
}

export async function getPolicyWithVersions(db: Db, policyId: string) {
  const [policy] = await db.select().from(policies).where(eq(policies.id, policyId));
  if (!policy) return null;
  const versions = await db
    .select({
      id: policyVersions.id,
      status: policyVersions.status,
      number: policyVersions.number,
      body: policyVersions.body,
      changeSummary: policyVersions.changeSummary,
      contentHash: policyVersions.contentHash,
      material: policyVersions.material,
      publishedAt: policyVersions.publishedAt,
      updatedAt: policyVersions.updatedAt,
      authorName: users.name,
    })
    .from(policyVersions)
    .leftJoin(users, eq(users.id, policyVersions.authorId))
    .where(eq(policyVersions.policyId, policyId))
    .orderBy(sql`${policyVersions.number} desc nulls first`);
  return {
    policy,
    draft: versions.find((v) => v.status === "draft") ?? null,
    published: versions.filter((v) => v.status === "published"),
  };
}

/** Writes the next version as a draft (one per policy), starting from the current text. */
export async function saveDraft(ctx: AppContext, actor: Actor, policyId: string, input: { body: string; changeSummary: string }): Promise<void> {
  const body = normalisePolicyBody(input.body);
  await transaction(ctx.db, async (tx) => {
    const [policy] = await tx.select().from(policies).where(eq(policies.id, policyId)).for("update");
    if (!policy) throw new NotFoundError("Policy not found.");
    const [draft] = await tx
      .select()
      .from(policyVersions)
      .where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.status, "draft")));
    if (draft) {
      await tx.update(policyVersions).set({ body, changeSummary: input.changeSummary, authorId: actor.id }).where(eq(policyVersions.id, draft.id));
    } else {
      await tx.insert(policyVersions).values({ policyId, body, changeSummary: input.changeSummary, authorId: actor.id });
    }
    await recordAudit(tx, {
      actor,
      action: "policy.draft_saved",
      subjectType: "policy",
      subjectId: policyId,
      data: { contentHash: policyContentHash(body), length: body.length },
      at: ctx.clock.now(),
    });
  });
}

/** Who a material version of a policy holds at the gate until they accept it again. */
export type PublicationImpact = { organisations: number; people: number };

type GatedPerson = { id: string; email: string; name: string; partnerOrgId: string };

/**
 * Every active partner user of an organisation that is not terminated must
 * accept a material version of a required policy before the partner area
 * opens again. An optional policy gates no one.
 */
async function peopleGatedBy(tx: Db, policy: Policy): Promise<GatedPerson[]> {
  if (!policy.required) return [];
  return tx
    .select({ id: users.id, email: users.email, name: users.name, partnerOrgId: partnerOrganisations.id })
    .from(users)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, users.partnerOrgId))
    .where(and(eq(users.role, "partner"), eq(users.status, "active"), ne(partnerOrganisations.status, "terminated")))
    .orderBy(asc(users.email));
}

const impactOf = (people: GatedPerson[]): PublicationImpact => ({ organisations: new Set(people.map((p) => p.partnerOrgId)).size, people: people.length });

export type PublishInput = {
  material: boolean;
  /** The admin saw how many organisations and people a material version gates, and went on. */
  confirmed: boolean;
  /** The content hash of the draft the admin previewed: a draft saved or discarded since is not published blind. */
  draftHash?: string;
};

export type PublishOutcome =
  { published: false; number: number; impact: PublicationImpact } | { published: true; number: number; material: boolean; impact: PublicationImpact };

/**
 * Publishes the draft as the next numbered version with its content hash.
 * A material version gates partners again; a minor one only asks them. A
 * material version is published only once confirmed: unconfirmed, nothing
 * changes and the outcome says whom it would gate. Each gated person gets an
 * email through the outbox. Minor versions send none: access continues, the
 * partner area tells them at their next visit, and emails kept for changes
 * that stop work are the ones partners read.
 */
export async function publishDraft(ctx: AppContext, actor: Actor, policyId: string, input: PublishInput, origin: string): Promise<PublishOutcome> {
  const branding = await getBranding(ctx.db);
  return transaction(ctx.db, async (tx) => {
    const [policy] = await tx.select().from(policies).where(eq(policies.id, policyId)).for("update");
    if (!policy) throw new NotFoundError("Policy not found.");
    const [draft] = await tx
      .select()
      .from(policyVersions)
      .where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.status, "draft")));
    if (!draft) throw new DomainError("There is no draft to publish. Write the new version first.", { kind: "conflict" });
    if (!draft.body.trim()) throw new DomainError("The draft is empty.");
    const contentHash = policyContentHash(draft.body);
    if (input.draftHash !== undefined && input.draftHash !== contentHash) {
      throw new DomainError("The draft changed since this page was loaded. Check the preview, then publish again.", { kind: "conflict" });
    }
    const [latest] = await tx
      .select({
        number: max(policyVersions.number),
        hash: sql<string | null>`(array_agg(${policyVersions.contentHash} order by ${policyVersions.number} desc))[1]`,
      })
      .from(policyVersions)
      .where(and(eq(policyVersions.policyId, policyId), isNotNull(policyVersions.number)));
    if (latest?.hash === contentHash)
      throw new DomainError("The draft says exactly what the current version says. Change it before publishing.", { kind: "conflict" });
    const number = (latest?.number ?? 0) + 1;
    // The first version is what partners first accept, so it is material by nature.
    const material = number === 1 ? true : input.material;
    const gated = material ? await peopleGatedBy(tx, policy) : [];
    const impact = impactOf(gated);
    if (material && !input.confirmed) return { published: false, number, impact };

    const now = ctx.clock.now();
    await tx
      .update(policyVersions)
      .set({ status: "published", number, contentHash, material, publishedById: actor.id, publishedAt: now })
      .where(eq(policyVersions.id, draft.id));
    const url = `${origin}${POLICIES_PATH}`;
    // Each gated person: a policy notification (its email cannot be turned off).
    await notify(
      tx,
      { now },
      {
        recipients: gated,
        kind: "policy_published",
        title: `${policy.title} changed: accept version ${number} to continue`,
        body: draft.changeSummary || "Read the new version and accept it to keep using the partner area.",
        href: `${POLICIES_PATH}/${policyId}`,
        subject: { type: "policy", id: policyId },
        email: (person) =>
          policyPublishedEmail({
            to: person.email,
            ...emailBrand(branding, origin),
            name: person.name,
            policyTitle: policy.title,
            number,
            changeSummary: draft.changeSummary,
            url,
          }),
      },
    );
    await recordAudit(tx, {
      actor,
      action: "policy.version_published",
      subjectType: "policy",
      subjectId: policyId,
      data: {
        key: policy.key,
        number,
        contentHash,
        material,
        changeSummary: draft.changeSummary,
        gatedOrganisations: impact.organisations,
        gatedPeople: impact.people,
        emailed: gated.length,
      },
      at: now,
    });
    return { published: true, number, material, impact };
  });
}

/** Throws away the open draft; published versions are never touched. */
export async function discardDraft(ctx: AppContext, actor: Actor, policyId: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const deleted = await tx
      .delete(policyVersions)
      .where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.status, "draft")))
      .returning({ id: policyVersions.id });
    if (deleted.length)
      await recordAudit(tx, { actor, action: "policy.draft_discarded", subjectType: "policy", subjectId: policyId, data: {}, at: ctx.clock.now() });
  });
}

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

/** Word-level changes between two versions' Markdown (a draft counts as the version after the last): what authors edit. */
export function diffPolicyText(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((part) => ({ kind: part.added ? "added" : part.removed ? "removed" : "same", text: part.value }));
}

/** Word-level changes between two versions as partners read them: the rendered text, without Markdown's markers. */
export function diffPolicyReadingText(before: string, after: string): DiffPart[] {
  return diffPolicyText(renderPolicyPlainText(before), renderPolicyPlainText(after));
}

export { policyContentHash, renderPolicyMarkdown };
