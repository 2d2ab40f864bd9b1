import type { InternalRole } from "#db/schema/index";
import type { AuditSubjectKind } from "~/lib/audit-actions";
import {
  API_KEY_MANAGER_ROLES,
  APPLICATION_REVIEWER_ROLES,
  ASSET_MANAGER_ROLES,
  CLAIM_EDITOR_ROLES,
  INCIDENT_READER_ROLES,
  LINK_READER_ROLES,
  POLICY_AUTHOR_ROLES,
  TEAM_ADMIN_ROLES,
  WEBHOOK_MANAGER_ROLES,
} from "../accounts/roles";

/**
 * The admin page of each kind of audit subject, and who may open it. A link
 * the reader's role would answer with 403 is not shown: the name is enough.
 */
const SUBJECT_PAGES: Partial<Record<AuditSubjectKind, { roles: readonly InternalRole[]; path: (id: string | null) => string | null }>> = {
  application: { roles: APPLICATION_REVIEWER_ROLES, path: (id) => id && `/admin/applications/${id}` },
  asset: { roles: ASSET_MANAGER_ROLES, path: (id) => id && `/admin/assets/${id}` },
  kit: { roles: ASSET_MANAGER_ROLES, path: (id) => id && `/admin/kits/${id}` },
  claim: { roles: CLAIM_EDITOR_ROLES, path: (id) => id && `/admin/claims/${id}` },
  claims_library: { roles: CLAIM_EDITOR_ROLES, path: () => "/admin/claims" },
  policy: { roles: POLICY_AUTHOR_ROLES, path: (id) => id && `/admin/policies/${id}` },
  program: { roles: TEAM_ADMIN_ROLES, path: () => "/admin/settings" },
  tracking_link: { roles: LINK_READER_ROLES, path: (id) => id && `/admin/links/${id}` },
  api_key: { roles: API_KEY_MANAGER_ROLES, path: () => "/admin/api-keys" },
  incident: { roles: INCIDENT_READER_ROLES, path: (id) => id && `/admin/incidents/${id}` },
  webhook_endpoint: { roles: WEBHOOK_MANAGER_ROLES, path: (id) => id && `/admin/webhooks/${id}` },
};

/** Every internal role reads the partner directory. */
export function partnerOrganisationPath(partnerOrgId: string): string {
  return `/admin/partners/${partnerOrgId}`;
}

/** The Team page lists the brand's people; a partner user is found on their organisation's page. */
export function personPath(person: { partnerOrgId: string | null }, reader: InternalRole): string | null {
  if (person.partnerOrgId) return partnerOrganisationPath(person.partnerOrgId);
  return TEAM_ADMIN_ROLES.some((role) => role === reader) ? "/admin/users" : null;
}

/** The page of a subject that has its own page (`id` is the id it is stored under there), or null. */
export function subjectPath(kind: AuditSubjectKind, id: string | null, reader: InternalRole): string | null {
  const page = SUBJECT_PAGES[kind];
  if (!page || !page.roles.some((role) => role === reader)) return null;
  return page.path(id);
}
