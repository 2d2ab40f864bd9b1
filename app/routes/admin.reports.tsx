import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { REPORT_READER_ROLES } from "~/domain/accounts/roles";
import { requireInternalUser } from "~/lib/guards.server";
import { PageHeader } from "~/components/ui";
import { PrintButton } from "~/components/reports/print-button";
import { ReportTabs } from "~/components/reports/report-tabs";

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

export default function ReportsLayout() {
  return (
    <>
      <PageHeader
        title="Reports"
        description="How the program performs, how fast work moves and how partners keep to the brand. Read-only: exports are recorded in the audit trail."
        actions={<PrintButton />}
      />
      <ReportTabs tabs={REPORT_TABS} />
      <Outlet />
    </>
  );
}
