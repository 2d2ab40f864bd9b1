import { Link, useLocation } from "@remix-run/react";

export function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
  const location = useLocation();
  if (pageCount <= 1) return null;
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(p));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 ? <Link to={hrefFor(page - 1)}>← Newer</Link> : <span />}
      <span className="muted">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? <Link to={hrefFor(page + 1)}>Older →</Link> : <span />}
    </nav>
  );
}
