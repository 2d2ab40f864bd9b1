import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

import { cx } from "./cx";
import { ChevronRightIcon } from "./icons";

export type Breadcrumb = { label: string; to?: string };

export type PageHeaderProps = {
  title: ReactNode;
  description?: ReactNode;
  /** Primary actions on the right (they wrap below the title on phones). */
  actions?: ReactNode;
  /**
   * Trail to this page. An entry with `to` is a link; a last entry without
   * one is the current page. So [{ to: "/admin/outbox", label: "Outbox" }]
   * is a way back up, not a claim that this page is the outbox.
   */
  breadcrumbs?: Breadcrumb[];
  /** Shown next to the title, e.g. a status Badge. */
  meta?: ReactNode;
  className?: string;
};

export function PageHeader({ title, description, actions, breadcrumbs, meta, className }: PageHeaderProps) {
  return (
    <div className={cx("page-header", className)}>
      <div className="page-header__text">
        {breadcrumbs && breadcrumbs.length > 0 ? (
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <ol className="breadcrumbs__list">
              {breadcrumbs.map((crumb, index) => {
                const isCurrent = index === breadcrumbs.length - 1 && !crumb.to;
                return (
                  <li className="breadcrumbs__item" key={`${index}-${crumb.label}`}>
                    {index > 0 ? <ChevronRightIcon /> : null}
                    {crumb.to ? (
                      <Link className="breadcrumbs__link" to={crumb.to}>
                        {crumb.label}
                      </Link>
                    ) : (
                      <span aria-current={isCurrent ? "page" : undefined}>{crumb.label}</span>
                    )}
                  </li>
                );
              })}
            </ol>
          </nav>
        ) : null}
        <div className="page-header__title-row">
          <h1 className="page-header__title">{title}</h1>
          {meta}
        </div>
        {description ? <div className="page-header__description">{description}</div> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </div>
  );
}
