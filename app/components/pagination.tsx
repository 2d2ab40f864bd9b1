import { Link, useLocation } from "@remix-run/react";

/**
 * Page links that keep the list's other query parameters (filters, sort). A
 * second list on a page pages with a `param` of its own, names its
 * navigation with `label`, and comes back to its `anchor`.
 */
export function Pagination({
  page,
  pageCount,
  labels = ["← Newer", "Older →"],
  param = "page",
  label = "Pages",
  anchor,
}: {
  page: number;
  pageCount: number;
  labels?: [string, string];
  param?: string;
  label?: string;
  anchor?: string;
}) {
  const location = useLocation();
  if (pageCount <= 1) return null;
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set(param, String(p));
    return `${location.pathname}?${params}${anchor ? `#${anchor}` : ""}`;
  };
  return (
    <nav className="pagination" aria-label={label}>
      {page > 1 ? <Link to={hrefFor(page - 1)}>{labels[0]}</Link> : <span />}
      <span className="muted">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? <Link to={hrefFor(page + 1)}>{labels[1]}</Link> : <span />}
    </nav>
  );
}
