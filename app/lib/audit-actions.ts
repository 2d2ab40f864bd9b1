// The catalogue of audit actions: every action the app can record, with the
// label people read in the audit viewer, the area it belongs to (the viewer's
// action filter is grouped by area) and the kind of thing it is about.
// `recordAudit` accepts only an `AuditAction`, so the type checker refuses an
// action that is not listed here. Pure data, shared by app/lib (which must
// not import app/domain), the domain and the viewer's browser bundle.

export const AUDIT_AREAS = {
  access: "Sign-in and accounts",
  team: "Brand team",
  applications: "Applications",
  partners: "Partners",
  policies: "Policies",
  assets: "Assets and kits",
  claims: "Claims",
  creatives: "Creatives",
  links: "Tracking links",
  conversions: "Conversions and coupons",
  incidents: "Incidents",
  program: "Program and settings",
  audit: "Audit trail",
  api: "API keys",
  webhooks: "Webhooks",
} as const;

export type AuditArea = keyof typeof AUDIT_AREAS;

/** What an event is about; the viewer links each kind to its admin page. */
export const AUDIT_SUBJECT_KINDS = {
  user: "User",
  session: "Sign-in",
  invitation: "Invitation",
  partner_organisation: "Partner organisation",
  application: "Application",
  policy: "Policy",
  policy_acceptance: "Policy acceptance",
  asset: "Asset",
  kit: "Kit",
  claim: "Claim",
  claims_library: "Claims library",
  creative: "Creative",
  prescreen_rules: "Pre-screen rules",
  approval_matrix: "Approval matrix",
  tracking_link: "Tracking link",
  partner_directory: "Partner directory",
  program: "Program",
  audit_trail: "Audit trail",
  api_key: "API key",
  coupon: "Coupon code",
  incident: "Incident",
  webhook_endpoint: "Webhook endpoint",
} as const;

export type AuditSubjectKind = keyof typeof AUDIT_SUBJECT_KINDS;

type CatalogueEntry = { label: string; area: AuditArea; subject: AuditSubjectKind };

export const AUDIT_ACTIONS = {
  "auth.login": { label: "Signed in", area: "access", subject: "session" },
  "auth.login_failed": { label: "Sign-in failed", area: "access", subject: "session" },
  "auth.login_throttled": { label: "Sign-in throttled", area: "access", subject: "session" },
  "auth.logout": { label: "Signed out", area: "access", subject: "session" },
  "auth.password_reset_requested": { label: "Password reset requested", area: "access", subject: "user" },
  "auth.password_reset": { label: "Password reset", area: "access", subject: "user" },
  "auth.password_changed": { label: "Password changed", area: "access", subject: "user" },
  "user.invitation_accepted": { label: "Invitation accepted", area: "access", subject: "user" },
  "notification.email_preferences_updated": { label: "Email preferences changed", area: "access", subject: "user" },

  "user.invited": { label: "Team member invited", area: "team", subject: "invitation" },
  "user.invitation_resent": { label: "Team invitation sent again", area: "team", subject: "invitation" },
  "user.invitation_revoked": { label: "Team invitation withdrawn", area: "team", subject: "invitation" },
  "user.role_changed": { label: "Role changed", area: "team", subject: "user" },
  "user.disabled": { label: "Account disabled", area: "team", subject: "user" },
  "user.enabled": { label: "Account enabled", area: "team", subject: "user" },

  "application.submitted": { label: "Application submitted", area: "applications", subject: "application" },
  "application.resubmitted": { label: "Application resubmitted", area: "applications", subject: "application" },
  "application.info_requested": { label: "More information requested", area: "applications", subject: "application" },
  "application.reply_received": { label: "Applicant replied to a request for information", area: "applications", subject: "application" },
  "application.approved": { label: "Application approved", area: "applications", subject: "application" },
  "application.rejected": { label: "Application rejected", area: "applications", subject: "application" },

  "partner.created": { label: "Partner organisation created", area: "partners", subject: "partner_organisation" },
  "partner.activated": { label: "Partner organisation activated", area: "partners", subject: "partner_organisation" },
  "partner.invitation_resent": { label: "Owner invitation sent again", area: "partners", subject: "partner_organisation" },
  "partner.invitation_revoked": { label: "Owner invitation withdrawn", area: "partners", subject: "partner_organisation" },
  "partner.member_invited": { label: "Partner member invited", area: "partners", subject: "invitation" },
  "partner.member_invitation_resent": { label: "Partner member invitation sent again", area: "partners", subject: "invitation" },
  "partner.member_invitation_revoked": { label: "Partner member invitation withdrawn", area: "partners", subject: "invitation" },
  "partner.member_removed": { label: "Partner member removed", area: "partners", subject: "user" },
  "partner.ownership_transferred": { label: "Ownership transferred", area: "partners", subject: "partner_organisation" },
  "partner.member_invitation_declined": { label: "Partner member invitation not sent", area: "partners", subject: "invitation" },
  "partner.terms_changed": { label: "Tier or terms changed", area: "partners", subject: "partner_organisation" },
  "partner.first_link_live": { label: "First link live (first real click)", area: "partners", subject: "partner_organisation" },
  "partner.tracking_validated": { label: "Tracking validated (test conversion attributed)", area: "partners", subject: "partner_organisation" },
  "partner.paused": { label: "Partner paused", area: "partners", subject: "partner_organisation" },
  "partner.resumed": { label: "Partner resumed", area: "partners", subject: "partner_organisation" },
  "partner.terminated": { label: "Partnership terminated", area: "partners", subject: "partner_organisation" },
  "partner.renewal_reminded": { label: "Renewal reminder sent", area: "partners", subject: "partner_organisation" },
  "partners.exported": { label: "Partner directory exported", area: "partners", subject: "partner_directory" },

  "policy.created": { label: "Policy created", area: "policies", subject: "policy" },
  "policy.required_changed": { label: "Policy requirement changed", area: "policies", subject: "policy" },
  "policy.draft_saved": { label: "Policy draft saved", area: "policies", subject: "policy" },
  "policy.draft_discarded": { label: "Policy draft discarded", area: "policies", subject: "policy" },
  "policy.version_published": { label: "Policy version published", area: "policies", subject: "policy" },
  "policy.reminder_sent": { label: "Policy reminder sent", area: "policies", subject: "policy" },
  "policy.accepted": { label: "Policy accepted", area: "policies", subject: "policy_acceptance" },

  "asset.created": { label: "Asset created", area: "assets", subject: "asset" },
  "asset.updated": { label: "Asset updated", area: "assets", subject: "asset" },
  "asset.version_added": { label: "Asset version added", area: "assets", subject: "asset" },
  "asset.retired": { label: "Asset retired", area: "assets", subject: "asset" },
  "asset.restored": { label: "Asset restored", area: "assets", subject: "asset" },
  "asset.downloaded": { label: "Asset downloaded", area: "assets", subject: "asset" },
  "kit.created": { label: "Kit created", area: "assets", subject: "kit" },
  "kit.updated": { label: "Kit updated", area: "assets", subject: "kit" },
  "kit.item_added": { label: "Kit item added", area: "assets", subject: "kit" },
  "kit.item_removed": { label: "Kit item removed", area: "assets", subject: "kit" },
  "kit.retired": { label: "Kit retired", area: "assets", subject: "kit" },
  "kit.restored": { label: "Kit restored", area: "assets", subject: "kit" },
  "kit.downloaded": { label: "Kit downloaded", area: "assets", subject: "kit" },

  "claim.created": { label: "Claim created", area: "claims", subject: "claim" },
  "claim.updated": { label: "Claim updated", area: "claims", subject: "claim" },
  "claim.approved": { label: "Claim approved", area: "claims", subject: "claim" },
  "claim.retired": { label: "Claim retired", area: "claims", subject: "claim" },
  "claims.exported": { label: "Claims library exported", area: "claims", subject: "claims_library" },

  "creative.draft_created": { label: "Creative draft started", area: "creatives", subject: "creative" },
  "creative.draft_updated": { label: "Creative draft saved", area: "creatives", subject: "creative" },
  "creative.file_added": { label: "Creative file uploaded", area: "creatives", subject: "creative" },
  "creative.file_removed": { label: "Creative file removed", area: "creatives", subject: "creative" },
  "creative.submitted": { label: "Creative submitted", area: "creatives", subject: "creative" },
  "creative.resubmitted": { label: "Creative resubmitted", area: "creatives", subject: "creative" },
  "creative.withdrawn": { label: "Creative withdrawn", area: "creatives", subject: "creative" },
  "creative.stage_claimed": { label: "Creative review stage claimed", area: "creatives", subject: "creative" },
  "creative.stage_released": { label: "Creative review stage released", area: "creatives", subject: "creative" },
  "creative.stage_decided": { label: "Creative review stage decided", area: "creatives", subject: "creative" },
  "creative.approved": { label: "Creative approved", area: "creatives", subject: "creative" },
  "creative.changes_requested": { label: "Changes requested on a creative", area: "creatives", subject: "creative" },
  "creative.rejected": { label: "Creative rejected", area: "creatives", subject: "creative" },
  "creative.approval_revoked": { label: "Creative approval revoked", area: "creatives", subject: "creative" },
  "creative.stage_overdue_reminded": { label: "Overdue review reminder sent", area: "creatives", subject: "creative" },
  "creative.comment_added": { label: "Review comment added", area: "creatives", subject: "creative" },
  "creative.comment_resolved": { label: "Review comment resolved", area: "creatives", subject: "creative" },
  "creative.comment_reopened": { label: "Review comment reopened", area: "creatives", subject: "creative" },
  "prescreen.rules_updated": { label: "Pre-screen rules changed", area: "creatives", subject: "prescreen_rules" },
  "review.matrix_updated": { label: "Approval matrix changed", area: "creatives", subject: "approval_matrix" },

  "link.issued": { label: "Tracking link issued for an approved creative", area: "links", subject: "tracking_link" },
  "link.not_issued": { label: "No tracking link issued (no allowed destination)", area: "links", subject: "creative" },
  "link.created": { label: "Evergreen link created", area: "links", subject: "tracking_link" },
  "link.disabled": { label: "Tracking link disabled", area: "links", subject: "tracking_link" },
  "link.enabled": { label: "Tracking link enabled", area: "links", subject: "tracking_link" },
  "performance.exported": { label: "Clicks and conversions exported", area: "links", subject: "partner_organisation" },
  "reports.exported": { label: "Report exported", area: "program", subject: "program" },
  "links.settings_changed": { label: "Link settings changed", area: "links", subject: "program" },
  "conversions.settings_changed": { label: "Conversion settings changed", area: "conversions", subject: "program" },
  "coupon.created": { label: "Coupon code created", area: "conversions", subject: "coupon" },
  "coupon.disabled": { label: "Coupon code disabled", area: "conversions", subject: "coupon" },
  "incident.opened": { label: "Incident opened", area: "incidents", subject: "incident" },
  "incident.note_added": { label: "Incident note added", area: "incidents", subject: "incident" },
  "incident.partner_replied": { label: "Partner replied on an incident", area: "incidents", subject: "incident" },
  "incident.status_changed": { label: "Incident status changed", area: "incidents", subject: "incident" },
  "incident.owner_changed": { label: "Incident owner changed", area: "incidents", subject: "incident" },
  "incident.severity_changed": { label: "Incident severity changed", area: "incidents", subject: "incident" },
  "incident.shared": { label: "Incident shared with the partner", area: "incidents", subject: "incident" },
  "incident.unshared": { label: "Incident no longer shared with the partner", area: "incidents", subject: "incident" },
  "incident.object_linked": { label: "Object linked to an incident", area: "incidents", subject: "incident" },
  "incident.partner_status_recorded": { label: "Partner pause or termination recorded on an incident", area: "incidents", subject: "incident" },
  "setup.completed": { label: "First-run setup completed", area: "program", subject: "user" },
  "demo.seeded": { label: "Demo program loaded", area: "program", subject: "program" },
  "settings.branding_updated": { label: "Branding updated", area: "program", subject: "program" },
  "settings.summary_updated": { label: "Program summary updated", area: "program", subject: "program" },
  "settings.logo_uploaded": { label: "Program logo uploaded", area: "program", subject: "program" },
  "settings.logo_removed": { label: "Program logo removed", area: "program", subject: "program" },
  "settings.rules_updated": { label: "Application rules updated", area: "program", subject: "program" },
  "settings.site_address_updated": { label: "Site address changed", area: "program", subject: "program" },
  "settings.email_updated": { label: "Email sender changed", area: "program", subject: "program" },
  "settings.test_email_sent": { label: "Test email sent", area: "program", subject: "program" },

  "audit.chain_rekeyed": { label: "Audit chain keyed", area: "audit", subject: "audit_trail" },
  "audit.verified": { label: "Audit trail verified", area: "audit", subject: "audit_trail" },
  "audit.exported": { label: "Audit trail exported", area: "audit", subject: "audit_trail" },

  "api_key.created": { label: "API key created", area: "api", subject: "api_key" },
  "api_key.revoked": { label: "API key revoked", area: "api", subject: "api_key" },

  "webhook.created": { label: "Webhook endpoint created", area: "webhooks", subject: "webhook_endpoint" },
  "webhook.updated": { label: "Webhook endpoint changed", area: "webhooks", subject: "webhook_endpoint" },
  "webhook.disabled": { label: "Webhook endpoint disabled", area: "webhooks", subject: "webhook_endpoint" },
  "webhook.auto_disabled": { label: "Webhook endpoint disabled after repeated failures", area: "webhooks", subject: "webhook_endpoint" },
  "webhook.enabled": { label: "Webhook endpoint enabled", area: "webhooks", subject: "webhook_endpoint" },
  "webhook.secret_rotated": { label: "Webhook signing secret rotated", area: "webhooks", subject: "webhook_endpoint" },
  "webhook.deleted": { label: "Webhook endpoint deleted", area: "webhooks", subject: "webhook_endpoint" },
  "webhook.redelivered": { label: "Webhook delivery sent again", area: "webhooks", subject: "webhook_endpoint" },
  "webhook.test_sent": { label: "Webhook test event sent", area: "webhooks", subject: "webhook_endpoint" },
  "webhooks.settings_changed": { label: "Webhook settings changed", area: "webhooks", subject: "program" },
} as const satisfies Record<string, CatalogueEntry>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}

/**
 * The catalogue entry of a stored action, or null for one it does not list
 * (written by an older or newer version of the app): the viewer then shows
 * the raw action name rather than hide the row.
 */
export function auditActionInfo(action: string): CatalogueEntry | null {
  return isAuditAction(action) ? AUDIT_ACTIONS[action] : null;
}

export function auditActionLabel(action: string): string {
  return auditActionInfo(action)?.label ?? action;
}

/**
 * A page's own, shorter wording for some actions (a history list), the
 * catalogue's label for the rest. The keys are checked against the catalogue,
 * so a renamed or removed action fails to compile instead of showing its code.
 */
export function auditActionLabelsWith(own: Partial<Record<AuditAction, string>>): (action: string) => string {
  const labels: Partial<Record<string, string>> = own;
  return (action) => labels[action] ?? auditActionLabel(action);
}

/** The actions of each area, in catalogue order: the viewer's grouped action filter. */
export function auditActionsByArea(): { area: AuditArea; label: string; actions: { action: AuditAction; label: string }[] }[] {
  return (Object.keys(AUDIT_AREAS) as AuditArea[]).map((area) => ({
    area,
    label: AUDIT_AREAS[area],
    actions: (Object.keys(AUDIT_ACTIONS) as AuditAction[])
      .filter((action) => AUDIT_ACTIONS[action].area === area)
      .map((action) => ({ action, label: AUDIT_ACTIONS[action].label })),
  }));
}

/** The actions about one kind of subject: the viewer's subject filter. */
export function auditActionsAbout(kind: AuditSubjectKind): AuditAction[] {
  return (Object.keys(AUDIT_ACTIONS) as AuditAction[]).filter((action) => AUDIT_ACTIONS[action].subject === kind);
}
