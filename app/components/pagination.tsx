import { Link, useLocation } from "@remix-run/react";

/** Page links that keep the list's other query parameters (filters, sort). */
export function Pagination({ page, pageCount, labels = ["← Newer", "Older →"] }: { page: number; pageCount: number; labels?: [string, string] }) {
  const location = useLocation();
  if (pageCount <= 1) return null;
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(p));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 ? <Link to={hrefFor(page - 1)}>{labels[0]}</Link> : <span />}
      <span className="muted">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? <Link to={hrefFor(page + 1)}>{labels[1]}</Link> : <span />}
    </nav>
  );
}
