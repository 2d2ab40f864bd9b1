import type { ReactNode } from "react";

import type { HeadingLevel } from "./card";
import { cx } from "./cx";

export type EmptyStateProps = {
  title: ReactNode;
  description?: ReactNode;
  /** Usually a Button or ButtonLink that creates the first item. */
  action?: ReactNode;
  /** An icon from ./icons, e.g. <InboxIcon />. */
  icon?: ReactNode;
  headingLevel?: HeadingLevel;
  className?: string;
};

export function EmptyState({ title, description, action, icon, headingLevel = 2, className }: EmptyStateProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div className={cx("empty-state", className)}>
      {icon ? <div className="empty-state__icon">{icon}</div> : null}
      <Heading className="empty-state__title">{title}</Heading>
      {description ? <div className="empty-state__description">{description}</div> : null}
      {action ? <div className="empty-state__action">{action}</div> : null}
    </div>
  );
}
