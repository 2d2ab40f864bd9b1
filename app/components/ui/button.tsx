import { Link, type LinkProps } from "@remix-run/react";
import type { ButtonHTMLAttributes, ReactNode } from "react";

import { cx } from "./cx";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md";

type ButtonLook = {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Full width of its container. */
  block?: boolean;
  /** Leading icon, e.g. <PlusIcon />. */
  icon?: ReactNode;
};

/** Class names for anything that should look like a button. */
export function buttonClassName({
  variant = "primary",
  size = "md",
  block = false,
  className,
}: Omit<ButtonLook, "icon"> & { className?: string | undefined }): string {
  return cx("btn", `btn--${variant}`, `btn--${size}`, block && "btn--block", className);
}

export type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type"> &
  ButtonLook & {
    type?: "button" | "submit" | "reset";
    /** Shows a spinner, sets aria-busy and blocks repeat clicks. */
    pending?: boolean;
    /** Replaces the label while pending, e.g. "Saving…". */
    pendingText?: ReactNode;
  };

export function Button({ variant, size, block, icon, pending = false, pendingText, type = "button", disabled, className, children, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      className={buttonClassName({ variant, size, block, className })}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
    >
      {pending ? <span className="spinner" aria-hidden="true" /> : icon}
      {pending && pendingText !== undefined ? pendingText : children}
    </button>
  );
}

export type ButtonLinkProps = Omit<LinkProps, "className"> & ButtonLook & { className?: string };

export function ButtonLink({ variant, size, block, icon, className, children, ...rest }: ButtonLinkProps) {
  return (
    <Link {...rest} className={buttonClassName({ variant, size, block, className })}>
      {icon}
      {children}
    </Link>
  );
}
