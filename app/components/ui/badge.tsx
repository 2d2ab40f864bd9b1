import type { ReactNode } from "react";

import { cx } from "./cx";

export type BadgeTone = "neutral" | "brand" | "success" | "warning" | "danger" | "info";

export type BadgeProps = {
  tone?: BadgeTone;
  /** A small leading dot, for statuses. */
  dot?: boolean;
  children: ReactNode;
  className?: string;
};

export function Badge({ tone = "neutral", dot = false, children, className }: BadgeProps) {
  return (
    <span className={cx("badge", `badge--${tone}`, className)}>
      {dot ? <span className="badge__dot" aria-hidden="true" /> : null}
      {children}
    </span>
  );
}
