import { z } from "zod";
import { OptionalText, RequiredText } from "~/lib/forms.server";
import { INCIDENT_KINDS, INCIDENT_LIMITS, INCIDENT_OBJECT_KINDS, INCIDENT_SEVERITIES, INCIDENT_STATUSES, type IncidentObjectKind } from "./catalog";

/** The list's query string; anything unknown means "all". */
export const IncidentFiltersSchema = z.object({
  status: z.enum(INCIDENT_STATUSES).optional().catch(undefined),
  severity: z.enum(INCIDENT_SEVERITIES).optional().catch(undefined),
  kind: z.enum(INCIDENT_KINDS).optional().catch(undefined),
  partner: z.uuid().optional().catch(undefined),
});

export function incidentFiltersFrom(url: URL) {
  return IncidentFiltersSchema.parse(Object.fromEntries([...url.searchParams].filter(([key, v]) => v !== "" && key !== "page")));
}

/** What "Open incident" on a creative, link or partner page puts in the new form's address. */
export const NewIncidentPrefillSchema = z.object({
  partner: z.uuid().optional().catch(undefined),
  objectKind: z.enum(INCIDENT_OBJECT_KINDS).optional().catch(undefined),
  objectId: z.uuid().optional().catch(undefined),
});

const kindField = z.enum(INCIDENT_KINDS, { error: "Choose the kind of incident from the list." });
const severityField = z.enum(INCIDENT_SEVERITIES, { error: "Choose the severity from the list." });
/** "" is nobody. */
const ownerField = z.union([z.literal("").transform(() => null), z.uuid("Choose the owner from the list.")], { error: "Choose the owner from the list." });
const NOT_AN_ID = "That is not the id of a creative version, link or conversion: copy it from the object's page.";
const objectIdField = z.uuid(NOT_AN_ID);

export const NewIncidentSchema = z
  .object({
    organisationId: z.uuid("Choose the partner from the list."),
    title: RequiredText("A title", INCIDENT_LIMITS.titleMax),
    kind: kindField,
    severity: severityField,
    description: RequiredText("A description", INCIDENT_LIMITS.descriptionMax),
    ownerId: ownerField.optional().transform((v) => v ?? null),
    objectKind: z.enum(INCIDENT_OBJECT_KINDS).optional(),
    objectId: objectIdField.optional(),
  })
  .transform(({ objectKind, objectId, ...rest }) => ({ ...rest, object: objectKind && objectId ? { kind: objectKind, id: objectId } : null }));

// "creative_version:<uuid>": one choice of the picker.
const PICKED = /^(creative_version|link|conversion):([0-9a-f-]{36})$/i;

export const IncidentActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("note"),
    body: RequiredText("The note", INCIDENT_LIMITS.noteMax),
    visibility: z.enum(["internal", "partner"], { error: "Choose who reads the note." }),
  }),
  z.object({
    intent: z.literal("status"),
    status: z.enum(INCIDENT_STATUSES, { error: "Choose the status from the list." }),
    note: OptionalText("The resolution note", INCIDENT_LIMITS.noteMax),
  }),
  z.object({ intent: z.literal("owner"), ownerId: ownerField }),
  z.object({ intent: z.literal("severity"), severity: severityField }),
  z.object({ intent: z.literal("share") }),
  z.object({ intent: z.literal("unshare") }),
  z
    .object({
      intent: z.literal("link"),
      picked: z.string().trim().max(100).optional(),
      objectKind: z.enum(INCIDENT_OBJECT_KINDS, { error: "Choose what kind of object the id is." }).optional(),
      objectId: z.string().trim().max(100).optional(),
    })
    .superRefine((input, ctx) => {
      if (input.picked) {
        if (!PICKED.test(input.picked)) ctx.addIssue({ code: "custom", path: ["picked"], message: "Choose an object from the list." });
        return;
      }
      if (!input.objectId) {
        ctx.addIssue({ code: "custom", path: ["objectId"], message: "Choose an object from the list, or paste its id." });
        return;
      }
      if (!z.uuid().safeParse(input.objectId).success) ctx.addIssue({ code: "custom", path: ["objectId"], message: NOT_AN_ID });
      if (!input.objectKind) ctx.addIssue({ code: "custom", path: ["objectKind"], message: "Choose what kind of object the id is." });
    }),
]);
export type IncidentAction = z.infer<typeof IncidentActionSchema>;

/** The object a valid "link" form names: the picked one, else the kind and id typed. */
export function linkTarget(input: Extract<IncidentAction, { intent: "link" }>): { kind: IncidentObjectKind; id: string } {
  const picked = input.picked ? PICKED.exec(input.picked) : null;
  if (picked) return { kind: picked[1]!.toLowerCase() as IncidentObjectKind, id: picked[2]!.toLowerCase() };
  return { kind: input.objectKind!, id: input.objectId!.toLowerCase() };
}

export const PartnerReplySchema = z.object({ body: RequiredText("Your reply", INCIDENT_LIMITS.noteMax) });
