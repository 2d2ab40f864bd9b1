import { isRouteErrorResponse, Outlet, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { RootData } from "~/root";
import type { LogoRef } from "~/domain/settings/catalog";
import { ErrorMessage, ErrorPage } from "./error-page";
import { AppShell, type NavItem } from "./shell";
import {
  API_DOCS_READER_ROLES,
  API_KEY_MANAGER_ROLES,
  APPLICATION_REVIEWER_ROLES,
  ASSET_MANAGER_ROLES,
  AUDIT_READER_ROLES,
  CLAIM_EDITOR_ROLES,
  CONVERSION_READER_ROLES,
  CREATIVE_READER_ROLES,
  DOWNLOAD_LOG_READER_ROLES,
  hasRole,
  INCIDENT_READER_ROLES,
  LINK_READER_ROLES,
  PARTNER_DIRECTORY_ROLES,
  POLICY_AUTHOR_ROLES,
  REPORT_READER_ROLES,
  TEAM_ADMIN_ROLES,
  type InternalRole,
  WEBHOOK_MANAGER_ROLES,
} from "~/domain/accounts/roles";
import {
  ChartIcon,
  CheckCircleIcon,
  DownloadIcon,
  FileIcon,
  ImageIcon,
  HomeIcon,
  InboxIcon,
  KeyIcon,
  LinkIcon,
  PenIcon,
  SettingsIcon,
  ShieldIcon,
  UsersIcon,
  WarningIcon,
} from "./ui";

type AreaUser = { name: string; email: string; role: string; partnerRole?: string | null };

const INTERNAL_NAV: (NavItem & { roles?: readonly InternalRole[] })[] = [
  { to: "/admin", label: "Overview", end: true, icon: <HomeIcon /> },
  { to: "/admin/applications", label: "Applications", roles: APPLICATION_REVIEWER_ROLES, icon: <FileIcon /> },
  { to: "/admin/partners", label: "Partners", roles: PARTNER_DIRECTORY_ROLES, icon: <UsersIcon /> },
  { to: "/admin/policies", label: "Policies", roles: POLICY_AUTHOR_ROLES, icon: <ShieldIcon /> },
  { to: "/admin/assets", label: "Assets", roles: ASSET_MANAGER_ROLES, icon: <ImageIcon /> },
  { to: "/admin/claims", label: "Claims", roles: CLAIM_EDITOR_ROLES, icon: <CheckCircleIcon /> },
  { to: "/admin/creatives", label: "Creatives", roles: CREATIVE_READER_ROLES, icon: <PenIcon /> },
  { to: "/admin/links", label: "Links", roles: LINK_READER_ROLES, icon: <LinkIcon /> },
  { to: "/admin/conversions", label: "Conversions", roles: CONVERSION_READER_ROLES, icon: <ChartIcon /> },
  { to: "/admin/reports", label: "Reports", roles: REPORT_READER_ROLES, icon: <ChartIcon /> },
  { to: "/admin/incidents", label: "Incidents", roles: INCIDENT_READER_ROLES, icon: <WarningIcon /> },
  // Asset managers reach the download log from Assets; those who only read it get their own entry.
  {
    to: "/admin/downloads",
    label: "Download log",
    roles: DOWNLOAD_LOG_READER_ROLES.filter((role) => !hasRole(role, ASSET_MANAGER_ROLES)),
    icon: <DownloadIcon />,
  },
  { to: "/admin/users", label: "Team", roles: TEAM_ADMIN_ROLES, icon: <UsersIcon /> },
  { to: "/admin/outbox", label: "Outbox", roles: ["admin"], icon: <InboxIcon /> },
  { to: "/admin/audit", label: "Audit trail", roles: AUDIT_READER_ROLES, icon: <ShieldIcon /> },
  { to: "/admin/api-keys", label: "API keys", roles: API_KEY_MANAGER_ROLES, icon: <KeyIcon /> },
  { to: "/admin/webhooks", label: "Webhooks", roles: WEBHOOK_MANAGER_ROLES, icon: <LinkIcon /> },
  // Key managers reach the API's reference from API keys; those who only read it (analysts) get their own entry.
  { to: "/admin/api", label: "API", roles: API_DOCS_READER_ROLES.filter((role) => !hasRole(role, API_KEY_MANAGER_ROLES)), icon: <FileIcon /> },
  { to: "/admin/settings", label: "Settings", roles: ["admin"], icon: <SettingsIcon /> },
];

const PARTNER_NAV: NavItem[] = [
  { to: "/partner", label: "Home", end: true, icon: <HomeIcon /> },
  { to: "/partner/assets", label: "Assets", icon: <ImageIcon /> },
  { to: "/partner/claims", label: "Claims", icon: <CheckCircleIcon /> },
  { to: "/partner/creatives", label: "Creatives", icon: <PenIcon /> },
  { to: "/partner/links", label: "Links", icon: <LinkIcon /> },
  { to: "/partner/reports", label: "Reports", icon: <ChartIcon /> },
  { to: "/partner/incidents", label: "Incidents", icon: <WarningIcon /> },
  { to: "/partner/policies", label: "Policies", icon: <ShieldIcon /> },
  { to: "/partner/team", label: "Team", icon: <UsersIcon /> },
];

/** Navigation by role: the internal area for the brand's team, the partner area for partners. */
export function navFor(role: string): NavItem[] {
  if (role === "partner") return PARTNER_NAV;
  return INTERNAL_NAV.filter((item) => !item.roles || hasRole(role, item.roles));
}

export function AreaShell({ branding, user, children }: { branding: { name: string; logo?: LogoRef | null }; user: AreaUser; children: React.ReactNode }) {
  const partner = user.role === "partner";
  const unread = useRouteLoaderData<RootData>("root")?.unreadNotifications ?? 0;
  return (
    <AppShell branding={branding} user={user} areaLabel={partner ? "Partner area" : "Brand team"} nav={navFor(user.role)} unread={unread}>
      {children}
    </AppShell>
  );
}

/** The signed-in areas' layout route body: the shell around the child route, with an optional area-wide notice. */
export function AreaLayout({ notice }: { notice?: React.ReactNode }) {
  const root = useRouteLoaderData<RootData>("root");
  if (!root?.user) return null;
  return (
    <AreaShell branding={root.branding} user={root.user}>
      {notice}
      <Outlet />
    </AreaShell>
  );
}

/**
 * The signed-in areas' error boundary (admin.tsx, partner.tsx): a 404 or 403
 * thrown by a page, or an unexpected error, is said inside the area's shell,
 * so the navigation stays and the way back is one click. The status is the
 * thrown one. Errors outside the areas, or before anyone is signed in, reach
 * the root's boundary.
 */
export function AreaErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<RootData>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!root?.user) return <ErrorPage status={status} requestId={root?.requestId} programName={root?.branding.name} />;
  // Whoever ends up here goes back to their own area's home: a partner who opened an /admin address included.
  const back = root.user.role === "partner" ? { href: "/partner", label: "Back to the partner home" } : { href: "/admin", label: "Back to the overview" };
  return (
    <AreaShell branding={root.branding} user={root.user}>
      <ErrorMessage status={status} requestId={root.requestId} back={back} />
    </AreaShell>
  );
}
