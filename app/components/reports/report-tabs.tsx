import { NavLink, useLocation } from "@remix-run/react";

export type ReportTab = { to: string; label: string; end: boolean };

/** The range parameters a tab passes on to the next, so switching tabs keeps the dates. */
const RANGE_PARAMS = ["range", "from", "to", "compare"];

/**
 * A reports layout's tabs (the brand's Admin → Reports, a partner's own
 * Reports): links, so every tab has an address, each carrying the range the
 * page shows. Not printed.
 */
export function ReportTabs({ tabs }: { tabs: readonly ReportTab[] }) {
  const location = useLocation();
  const current = new URLSearchParams(location.search);
  const kept = new URLSearchParams([...current].filter(([name]) => RANGE_PARAMS.includes(name))).toString();
  return (
    <nav className="report-tabs no-print" aria-label="Reports">
      <ul>
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink to={`${tab.to}${kept ? `?${kept}` : ""}`} end={tab.end} className="report-tabs__link" prefetch="intent">
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
