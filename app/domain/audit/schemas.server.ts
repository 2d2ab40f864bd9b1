import { z } from "zod";
import { AUDIT_ACTIONS, AUDIT_SUBJECT_KINDS, type AuditAction, type AuditSubjectKind } from "~/lib/audit-actions";

/** A calendar day as <input type="date"> sends it; one that does not exist (2026-02-30) is refused. */
const CalendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => {
    const day = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === v;
  });

const actions = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];
const subjectKinds = Object.keys(AUDIT_SUBJECT_KINDS) as [AuditSubjectKind, ...AuditSubjectKind[]];

/**
 * The audit viewer's filters, from its query string (the page, the CSV and
 * its audit event share them). A value that makes no sense is dropped rather
 * than refused: a hand-edited URL still shows the trail.
 */
export const AuditFiltersSchema = z.object({
  actor: z.string().trim().min(1).max(200).optional().catch(undefined),
  action: z.enum(actions).optional().catch(undefined),
  subject: z.enum(subjectKinds).optional().catch(undefined),
  partner: z.uuid().optional().catch(undefined),
  from: CalendarDay.optional().catch(undefined),
  to: CalendarDay.optional().catch(undefined),
});

export type AuditFilters = z.infer<typeof AuditFiltersSchema>;

/** The filters of a request's query string; empty fields count as absent. */
export function auditFiltersFrom(request: Request): AuditFilters {
  const params = new URL(request.url).searchParams;
  return AuditFiltersSchema.parse(Object.fromEntries([...params].filter(([key, value]) => key !== "page" && value !== "")));
}

/** What `verifyAuditTrail` found, as kept in instance_settings for "Last checked …". */
export const LastVerificationSchema = z.object({
  checkedAt: z.iso.datetime(),
  by: z.object({ id: z.string().nullable(), label: z.string(), name: z.string().nullable() }),
  ok: z.boolean(),
  chain: z.object({
    ok: z.boolean(),
    checked: z.number(),
    unkeyed: z.number().optional(),
    brokenId: z.number().optional(),
    reason: z.string().optional(),
  }),
  checkpoint: z.object({
    status: z.enum(["none", "ok", "failed"]),
    rowCount: z.number().optional(),
    headId: z.number().optional(),
    writtenAt: z.string().optional(),
    reason: z.string().optional(),
  }),
});

export type LastVerification = z.infer<typeof LastVerificationSchema>;
