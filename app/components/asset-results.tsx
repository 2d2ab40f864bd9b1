import { Link, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { Pagination } from "./pagination";
import { Card, EmptyState, ImageIcon } from "./ui";

/** The list's URL without its search (and page), every other filter kept. */
function withoutSearch(pathname: string, search: string): string {
  const params = new URLSearchParams(search);
  params.delete("q");
  params.delete("page");
  const rest = params.toString();
  return rest ? `${pathname}?${rest}` : pathname;
}

/**
 * One page of an asset list (the partner hub, the team's list): how many
 * assets match, the grid, the page links (which keep the search and filters),
 * or, when nothing matches, an empty state that says why and how to widen it.
 */
export function AssetResults({
  total,
  page,
  pageCount,
  query,
  filtered,
  noAssets,
  children,
}: {
  total: number;
  page: number;
  pageCount: number;
  /** The search box's text, if any. */
  query: string | undefined;
  /** Whether another filter (kind, category, tag, status) narrows the list. */
  filtered: boolean;
  /** The empty state when there is nothing at all, before any filter. */
  noAssets: ReactNode;
  /** The grid of this page's assets. */
  children: ReactNode;
}) {
  const location = useLocation();
  const count = `${total} ${total === 1 ? "asset" : "assets"}`;
  if (total === 0) {
    if (!query && !filtered) return <Card>{noAssets}</Card>;
    return (
      <Card>
        <EmptyState
          icon={<ImageIcon />}
          title={query ? `No assets match “${query}”` : "No assets match these filters"}
          description={
            query
              ? "Check the spelling, or try a shorter word: the search matches the start of words in titles, descriptions, categories and tags."
              : "Try fewer filters."
          }
          action={
            query ? (
              <Link to={withoutSearch(location.pathname, location.search)} prefetch="none">
                Clear the search
              </Link>
            ) : undefined
          }
        />
      </Card>
    );
  }
  return (
    <section className="stack" aria-label={query ? `${count} matching “${query}”` : count}>
      <p className="muted" role="status">
        {query ? `${count} matching “${query}”` : count}
      </p>
      {children}
      <Pagination page={page} pageCount={pageCount} labels={["← Previous", "Next →"]} />
    </section>
  );
}
