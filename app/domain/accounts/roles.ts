// Shared with the browser bundle: role names as people read them, and which
// roles may do what. The roles themselves come from one list, the one the
// database enum is built from (db/schema/roles.ts, plain data without drizzle);
// each group below is checked against it, so a misspelt role fails to compile.
import { INTERNAL_ROLES, type InternalRole, type UserRole } from "#db/schema/roles";

export type { InternalRole, UserRole };

const ROLE_LABELS: Record<UserRole, string> = {
  admin: "Admin",
  brand_reviewer: "Brand reviewer",
  legal_reviewer: "Legal reviewer",
  analyst: "Analyst",
  partner: "Partner",
};

export const roleLabel = (role: string) => ROLE_LABELS[role as UserRole] ?? role;

/** Every role of the brand team, in the enum's order (the invite form's choices). */
export const INTERNAL_ROLE_VALUES = INTERNAL_ROLES;

/** Who vets applications (PRODUCT.md, roles): admins and brand reviewers. */
export const APPLICATION_REVIEWER_ROLES = ["admin", "brand_reviewer"] as const satisfies readonly InternalRole[];

/** Who writes and publishes policies (PRODUCT.md, Policies): admins and legal reviewers. */
export const POLICY_AUTHOR_ROLES = ["admin", "legal_reviewer"] as const satisfies readonly InternalRole[];

/** Whether a policy gates partners is the program owner's call: admins only. */
export const POLICY_REQUIRED_SETTER_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who writes claims and edits drafts (PRODUCT.md, roles: brand reviewers manage claims drafts). */
export const CLAIM_EDITOR_ROLES = ["admin", "brand_reviewer", "legal_reviewer"] as const satisfies readonly InternalRole[];

/** Only legal reviewers approve a claim (PRODUCT.md, Claims library). */
export const CLAIM_APPROVER_ROLES = ["legal_reviewer"] as const satisfies readonly InternalRole[];

/** Who may retire a claim. */
export const CLAIM_RETIRER_ROLES = ["admin", "legal_reviewer"] as const satisfies readonly InternalRole[];

/** Who manages the asset hub (PRODUCT.md, roles): admins and brand reviewers. */
export const ASSET_MANAGER_ROLES = ["admin", "brand_reviewer"] as const satisfies readonly InternalRole[];

/** Who reads the partner directory and partner pages (PRODUCT.md, Partners): the whole brand team, analysts read-only. */
export const PARTNER_DIRECTORY_ROLES = ["admin", "brand_reviewer", "legal_reviewer", "analyst"] as const satisfies readonly InternalRole[];

/** Changing a partner's tier and commercial terms is the program owner's (PRODUCT.md, roles: partner lifecycle). */
export const PARTNER_TERMS_EDITOR_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who reads the download log and its CSV: asset managers, and analysts until reports arrive. */
export const DOWNLOAD_LOG_READER_ROLES = [...ASSET_MANAGER_ROLES, "analyst"] as const satisfies readonly InternalRole[];

/**
 * Who reads the audit trail, exports it and runs its verification (PRODUCT.md,
 * Governance: admins and analysts). Verifying changes nothing in the trail; it
 * records who checked and when, so the read-only role can check the record
 * independently of the people whose actions it holds.
 */
export const AUDIT_READER_ROLES = ["admin", "analyst"] as const satisfies readonly InternalRole[];

/** Whether `role` is one of `roles`: for pages that show more to some of the roles they admit. */
export const hasRole = (role: string, roles: readonly string[]) => roles.includes(role);

/** Who manages the brand team (Admin → Team). */
export const TEAM_ADMIN_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who reads the creative queue (PRODUCT.md, roles): the brand team; analysts read, never decide. */
export const CREATIVE_READER_ROLES = ["admin", "brand_reviewer", "legal_reviewer", "analyst"] as const satisfies readonly InternalRole[];

/** Who is told a creative waits for review: brand review is every submission's first stage. */
export const CREATIVE_NOTIFIED_ROLES = ["admin", "brand_reviewer"] as const satisfies readonly InternalRole[];

/** Who edits the pre-screen's rules (PRODUCT.md, Pre-screen: an admin setting). */
export const PRESCREEN_RULES_EDITOR_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who edits the approval matrix, the review stages' SLAs and business hours (Settings → Review): admins only. */
export const REVIEW_MATRIX_EDITOR_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who reads every tracking link and its clicks (Admin → Links): the brand team, analysts included. */
export const LINK_READER_ROLES = ["admin", "brand_reviewer", "legal_reviewer", "analyst"] as const satisfies readonly InternalRole[];

/** Who disables and re-enables a tracking link, with a reason: the reviewers who answer for what partners publish, and admins. */
export const LINK_MANAGER_ROLES = ["admin", "brand_reviewer", "legal_reviewer"] as const satisfies readonly InternalRole[];

/** Who edits the link settings (fallback page, click id, evergreen limits, retention): admins only. */
export const LINK_SETTINGS_EDITOR_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who may claim and decide each review stage (PRODUCT.md, Creative review): brand is the brand team's, legal is legal's; admins may do both. */
export const REVIEW_STAGE_ROLES = {
  brand: ["admin", "brand_reviewer"],
  legal: ["admin", "legal_reviewer"],
} as const satisfies Record<"brand" | "legal", readonly InternalRole[]>;

/** Who reviews creatives at some stage: claiming and releasing a stage is theirs (analysts only read). */
export const CREATIVE_REVIEWER_ROLES = ["admin", "brand_reviewer", "legal_reviewer"] as const satisfies readonly InternalRole[];

/** Who may take back an approval, with a reason (PRODUCT.md, Creative review: admin or legal). */
export const REVOKER_ROLES = ["admin", "legal_reviewer"] as const satisfies readonly InternalRole[];

/** Who makes and revokes API keys (Admin → API keys): a key acts for the whole program, so admins only. */
export const API_KEY_MANAGER_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who reads the conversions the brand's systems posted, with their attribution and commission (Admin → Conversions): admins and analysts. */
export const CONVERSION_READER_ROLES = ["admin", "analyst"] as const satisfies readonly InternalRole[];

/** Who edits the conversion settings (attribution window and model, program currency, partner coupons): admins only. */
export const CONVERSION_SETTINGS_EDITOR_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who reads a partner's coupon codes: everyone who reads the partner's page. */
export const COUPON_READER_ROLES = PARTNER_DIRECTORY_ROLES;

/** Who makes and disables coupon codes for any partner: admins (partner owners make their own when the settings allow). */
export const COUPON_MANAGER_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who reads the API's reference (Admin → API): those who run the integration (admins) and those who build reports on it (analysts). */
export const API_DOCS_READER_ROLES = ["admin", "analyst"] as const satisfies readonly InternalRole[];

/** Who pauses, resumes and terminates a partnership (the kill switch). */
export const PARTNER_LIFECYCLE_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who reads incidents (Admin → Incidents): the brand team; analysts read, to count and report. */
export const INCIDENT_READER_ROLES = ["admin", "brand_reviewer", "legal_reviewer", "analyst"] as const satisfies readonly InternalRole[];

/** Who opens and works incidents (notes, status, owner, sharing, linked objects) and may own one: those who answer for what partners publish, and admins. */
export const INCIDENT_MANAGER_ROLES = ["admin", "brand_reviewer", "legal_reviewer"] as const satisfies readonly InternalRole[];

/** Who manages webhook endpoints, their secrets and deliveries, and the private-receivers setting: admins only. */
export const WEBHOOK_MANAGER_ROLES = ["admin"] as const satisfies readonly InternalRole[];

/** Who reads the reports (Admin → Reports) and exports their tables: admins and analysts; nothing in the reports changes anything. */
export const REPORT_READER_ROLES = ["admin", "analyst"] as const satisfies readonly InternalRole[];
