import type { ReactNode } from "react";

import { cx } from "./cx";
import { AlertCircleIcon, CheckCircleIcon, InfoIcon, WarningIcon } from "./icons";

export type AlertTone = "info" | "success" | "warning" | "danger";

export type AlertProps = {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  /** Buttons or links under the message. */
  actions?: ReactNode;
  /**
   * Whether the alert is a live region. Leave on for messages that appear in
   * response to an action; turn off for static notices that are part of the
   * page, so screen readers don't announce them on every load.
   */
  live?: boolean;
  className?: string;
  id?: string;
};

const icons: Record<AlertTone, ReactNode> = {
  info: <InfoIcon />,
  success: <CheckCircleIcon />,
  warning: <WarningIcon />,
  danger: <AlertCircleIcon />,
};

export function Alert({ tone = "info", title, children, actions, live = true, className, id }: AlertProps) {
  // Only errors interrupt; everything else waits for a pause in speech.
  const role = live ? (tone === "danger" ? "alert" : "status") : undefined;
  return (
    <div id={id} role={role} className={cx("alert", `alert--${tone}`, className)}>
      {icons[tone]}
      <div className="alert__content">
        {title ? <p className="alert__title">{title}</p> : null}
        {children ? <div className="alert__body">{children}</div> : null}
        {actions ? <div className="alert__actions">{actions}</div> : null}
      </div>
    </div>
  );
}
