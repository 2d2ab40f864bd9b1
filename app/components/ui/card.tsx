import type { ReactNode } from "react";

import { cx } from "./cx";

export type HeadingLevel = 2 | 3 | 4;

export type CardProps = {
  title?: ReactNode;
  description?: ReactNode;
  /** Buttons or links on the right of the header. */
  actions?: ReactNode;
  footer?: ReactNode;
  children?: ReactNode;
  /** No body padding: for a DataTable or list that runs edge to edge. */
  flush?: boolean;
  headingLevel?: HeadingLevel;
  className?: string;
  id?: string;
};

export function Card({ title, description, actions, footer, children, flush = false, headingLevel = 2, className, id }: CardProps) {
  const Heading = `h${headingLevel}` as const;
  const hasHeader = Boolean(title || description || actions);
  return (
    <div id={id} className={cx("card", flush && "card--flush", className)}>
      {hasHeader ? (
        <div className="card__header">
          <div className="card__heading">
            {title ? <Heading className="card__title">{title}</Heading> : null}
            {description ? <div className="card__description">{description}</div> : null}
          </div>
          {actions ? <div className="card__actions">{actions}</div> : null}
        </div>
      ) : null}
      {hasContent(children) ? <div className="card__body">{children}</div> : null}
      {footer ? <div className="card__footer">{footer}</div> : null}
    </div>
  );
}

export type StatProps = {
  label: ReactNode;
  value: ReactNode;
  hint?: ReactNode;
  className?: string;
};

/** A single figure; put several in <div className="stat-grid">. */
export function Stat({ label, value, hint, className }: StatProps) {
  return (
    <div className={cx("stat", className)}>
      <p className="stat__label">{label}</p>
      <p className="stat__value">{value}</p>
      {hint ? <p className="stat__hint">{hint}</p> : null}
    </div>
  );
}

// `{cond && <X />}` passes false; an empty padded body would look broken.
function hasContent(node: ReactNode): boolean {
  return node !== undefined && node !== null && node !== false && node !== "";
}
