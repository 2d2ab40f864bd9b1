import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLocation } from "@remix-run/react";
import { REPORT_READER_ROLES } from "~/domain/accounts/roles";
import { requireInternalUser } from "~/lib/guards.server";
import { PageHeader } from "~/components/ui";
import { PrintButton } from "~/components/reports/print-button";

export const meta: MetaFunction = () => [{ title: "Reports" }];

// Layout only: each tab's loader calls the guard as well (a child's data can be fetched on its own).
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, REPORT_READER_ROLES);
  return null;
}

/** The tabs. Brand & trust is its own route (admin.reports.trust.tsx). */
const REPORT_TABS = [
  { to: "/admin/reports", label: "Performance", end: true },
  { to: "/admin/reports/workflow", label: "Workflow", end: false },
  { to: "/admin/reports/trust", label: "Brand & trust", end: false },
] as const;

/** The range parameters a tab passes on to the next, so switching tabs keeps the dates. */
const RANGE_PARAMS = ["range", "from", "to", "compare"];

export default function ReportsLayout() {
  const location = useLocation();
  const current = new URLSearchParams(location.search);
  const kept = new URLSearchParams([...current].filter(([name]) => RANGE_PARAMS.includes(name))).toString();
  return (
    <>
      <PageHeader
        title="Reports"
        description="How the program performs, how fast work moves and how partners keep to the brand. Read-only: exports are recorded in the audit trail."
        actions={<PrintButton />}
      />
      <nav className="report-tabs no-print" aria-label="Reports">
        <ul>
          {REPORT_TABS.map((tab) => (
            <li key={tab.to}>
              <NavLink to={`${tab.to}${kept ? `?${kept}` : ""}`} end={tab.end} className="report-tabs__link" prefetch="intent">
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
