import { Link, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import {
  API_KEY_MANAGER_ROLES,
  CONVERSION_SETTINGS_EDITOR_ROLES,
  hasRole,
  LINK_SETTINGS_EDITOR_ROLES,
  POLICY_AUTHOR_ROLES,
  PRESCREEN_RULES_EDITOR_ROLES,
  REVIEW_MATRIX_EDITOR_ROLES,
  WEBHOOK_MANAGER_ROLES,
} from "~/domain/accounts/roles";
import type { RootData } from "~/root";

/**
 * Every program setting, in one list: the settings area's sidebar. A section
 * is a page of its own or a part of one (an anchor); pages that hold several
 * sections (the program page, review, conversions) mark each with its id.
 */
export const SETTINGS_SECTIONS = [
  { id: "branding", group: "Program", label: "Branding", to: "/admin/settings#branding", roles: ["admin"] },
  { id: "program-page", group: "Program", label: "Program page", to: "/admin/settings#program-page", roles: ["admin"] },
  { id: "application-rules", group: "Program", label: "Application rules", to: "/admin/settings#application-rules", roles: ["admin"] },
  { id: "site-address", group: "Program", label: "Site address", to: "/admin/settings#site-address", roles: ["admin"] },
  { id: "policies-gate", group: "Partners", label: "Policies gate", to: "/admin/settings/policies", roles: POLICY_AUTHOR_ROLES },
  { id: "prescreen", group: "Creative review", label: "Pre-screen rules", to: "/admin/settings/prescreen", roles: PRESCREEN_RULES_EDITOR_ROLES },
  {
    id: "approval-matrix",
    group: "Creative review",
    label: "Approval matrix",
    to: "/admin/settings/review#approval-matrix",
    roles: REVIEW_MATRIX_EDITOR_ROLES,
  },
  { id: "sla", group: "Creative review", label: "SLA", to: "/admin/settings/review#sla", roles: REVIEW_MATRIX_EDITOR_ROLES },
  { id: "links", group: "Links and attribution", label: "Links", to: "/admin/settings/links", roles: LINK_SETTINGS_EDITOR_ROLES },
  {
    id: "attribution",
    group: "Links and attribution",
    label: "Attribution",
    to: "/admin/settings/conversions#attribution",
    roles: CONVERSION_SETTINGS_EDITOR_ROLES,
  },
  { id: "coupons", group: "Links and attribution", label: "Coupons", to: "/admin/settings/conversions#coupons", roles: CONVERSION_SETTINGS_EDITOR_ROLES },
  { id: "api-keys", group: "Integrations", label: "API keys", to: "/admin/api-keys", roles: API_KEY_MANAGER_ROLES },
  { id: "webhooks", group: "Integrations", label: "Webhooks", to: "/admin/webhooks", roles: WEBHOOK_MANAGER_ROLES },
  { id: "email", group: "Integrations", label: "Email", to: "/admin/settings/email", roles: ["admin"] },
] as const satisfies readonly { id: string; group: string; label: string; to: string; roles: readonly string[] }[];

export type SettingsSectionId = (typeof SETTINGS_SECTIONS)[number]["id"];

/** The page a section lives on: the sections sharing it are "current" together. */
const pageOf = (to: string) => to.split("#")[0];

/**
 * The settings area's frame: the list of sections beside the page. At phone
 * width the list becomes a row that scrolls sideways above the page.
 */
export function SettingsShell({ current, children }: { current: SettingsSectionId; children: React.ReactNode }) {
  const role = useRouteLoaderData<RootData>("root")?.user?.role ?? "";
  const currentPage = pageOf(SETTINGS_SECTIONS.find((section) => section.id === current)?.to ?? "");
  const visible = SETTINGS_SECTIONS.filter((section) => hasRole(role, section.roles));
  const groups = [...new Set(visible.map((section) => section.group))];
  const nav = useRef<HTMLElement>(null);
  // At phone width the list scrolls sideways: bring the current section into view.
  useEffect(() => {
    const link = nav.current?.querySelector<HTMLElement>('[aria-current="page"]');
    if (nav.current && link && nav.current.scrollWidth > nav.current.clientWidth) {
      const offset = link.getBoundingClientRect().left - nav.current.getBoundingClientRect().left + nav.current.scrollLeft;
      nav.current.scrollLeft = offset - (nav.current.clientWidth - link.offsetWidth) / 2;
    }
  }, [current]);
  return (
    <div className="settings-shell">
      <nav className="settings-shell__nav" aria-label="Settings sections" ref={nav}>
        {groups.map((group) => (
          <div className="settings-shell__group" key={group}>
            <p className="settings-shell__group-label">{group}</p>
            <ul>
              {visible
                .filter((section) => section.group === group)
                .map((section) => (
                  <li key={section.id}>
                    {/* A hash-only change runs no loader: the router scrolls to the section. */}
                    <Link
                      className="settings-shell__link"
                      to={section.to}
                      aria-current={section.id === current ? "page" : pageOf(section.to) === currentPage ? "location" : undefined}
                    >
                      {section.label}
                    </Link>
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </nav>
      <div className="settings-shell__page">{children}</div>
    </div>
  );
}
