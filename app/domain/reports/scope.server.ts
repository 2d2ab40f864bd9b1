import { WHOLE_PROGRAM } from "../links/stats.server";

// Whose figures a report reads (decision 027): the whole program's, for the
// brand's Admin → Reports, or one partner organisation's, for that partner's
// own Reports page. Every report query takes a scope by name, as the stats do
// (links/stats.server.ts: a union rather than an optional id, so a partner's
// page cannot leave its organisation out by mistake). A partner's scope comes
// from its session (user.partnerOrgId), never from the address.

export { WHOLE_PROGRAM };

export type ReportScope = typeof WHOLE_PROGRAM | { organisationId: string };

/** The organisation a scope is limited to, or null for the whole program. */
export const scopedOrganisation = (scope: ReportScope): string | null => ("organisationId" in scope ? scope.organisationId : null);
