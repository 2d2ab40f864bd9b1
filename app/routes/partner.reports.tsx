import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requirePartnerUser } from "~/lib/guards.server";
import { PageHeader } from "~/components/ui";
import { PrintButton } from "~/components/reports/print-button";
import { ReportTabs } from "~/components/reports/report-tabs";

export const meta: MetaFunction = () => [{ title: "Reports" }];

// Layout only: each tab's loader calls the guard as well (a child's data can be fetched on its own).
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePartnerUser(context, request);
  return null;
}

/** A partner's own reports (issue 18): every member of the organisation reads them, about its own links, creatives and score only. */
const REPORT_TABS = [
  { to: "/partner/reports", label: "Performance", end: true },
  { to: "/partner/reports/review", label: "Review", end: false },
  { to: "/partner/reports/health", label: "Health", end: false },
] as const;

export default function PartnerReportsLayout() {
  return (
    <>
      <PageHeader
        title="Reports"
        description="What your links and codes brought, how your creatives move through review, and your health score with the program. Only your organisation's figures; downloads are recorded."
        actions={<PrintButton />}
      />
      <ReportTabs tabs={REPORT_TABS} />
      <Outlet />
    </>
  );
}
