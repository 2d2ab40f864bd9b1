import type { ReactNode } from "react";

import { cx } from "./cx";

export type IconProps = {
  /** Pixel size for width and height; CSS in context may override it. */
  size?: number;
  className?: string;
};

// Icons are decorative: the surrounding text or aria-label names the control,
// so every icon is hidden from assistive technology.
function Svg({ size = 16, className, children }: IconProps & { children: ReactNode }) {
  return (
    <svg
      className={cx("icon", className)}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** The default program mark: two linked rings on the brand colour. */
export function LogoMark({ size = 28, className }: IconProps) {
  return (
    <svg className={cx("logo-mark", className)} width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect className="logo-mark__bg" width="32" height="32" rx="8" />
      <circle className="logo-mark__fg" cx="13" cy="16" r="5.5" fill="none" strokeWidth="2.25" />
      <circle className="logo-mark__fg" cx="19" cy="16" r="5.5" fill="none" strokeWidth="2.25" />
    </svg>
  );
}

export function MenuIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M4 6h16M4 12h16M4 18h16" />
    </Svg>
  );
}

export function CloseIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M18 6 6 18M6 6l12 12" />
    </Svg>
  );
}

export function CheckIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M20 6 9 17l-5-5" />
    </Svg>
  );
}

export function CheckCircleIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="12" cy="12" r="9.25" />
      <path d="m8.5 12 2.5 2.5 4.5-5" />
    </Svg>
  );
}

export function WarningIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M10.27 3.95 2.3 17.75A2 2 0 0 0 4.03 20.75h15.94a2 2 0 0 0 1.73-3L13.73 3.95a2 2 0 0 0-3.46 0Z" />
      <path d="M12 9.5v4M12 17h.01" />
    </Svg>
  );
}

export function AlertCircleIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="12" cy="12" r="9.25" />
      <path d="M12 7.75v5M12 16.25h.01" />
    </Svg>
  );
}

export function InfoIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="12" cy="12" r="9.25" />
      <path d="M12 16.25v-5M12 7.75h.01" />
    </Svg>
  );
}

export function MailIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <rect x="2.75" y="4.75" width="18.5" height="14.5" rx="2" />
      <path d="m3.5 6.5 7.4 5.6a1.8 1.8 0 0 0 2.2 0l7.4-5.6" />
    </Svg>
  );
}

export function UsersIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M16 20v-1.5a4 4 0 0 0-4-4H6.5a4 4 0 0 0-4 4V20" />
      <circle cx="9.25" cy="7.5" r="3.75" />
      <path d="M21.5 20v-1.5a4 4 0 0 0-3-3.87M15.75 3.87a3.75 3.75 0 0 1 0 7.26" />
    </Svg>
  );
}

export function ShieldIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 21.25s7.5-3.5 7.5-9.75V5.5L12 2.75 4.5 5.5v6c0 6.25 7.5 9.75 7.5 9.75Z" />
      <path d="m9 12 2 2 4-4" />
    </Svg>
  );
}

export function BellIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </Svg>
  );
}

export function InboxIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M21.25 12.5h-5.5l-1.75 2.75h-4L8.25 12.5h-5.5" />
      <path d="M5.7 5.1 2.75 12.5v5.75a2 2 0 0 0 2 2h14.5a2 2 0 0 0 2-2V12.5L18.3 5.1a2 2 0 0 0-1.86-1.35H7.56A2 2 0 0 0 5.7 5.1Z" />
    </Svg>
  );
}

export function HomeIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M3.75 10 12 3.5l8.25 6.5v9.25a1.5 1.5 0 0 1-1.5 1.5H5.25a1.5 1.5 0 0 1-1.5-1.5Z" />
      <path d="M9.5 20.75v-7h5v7" />
    </Svg>
  );
}

export function LogOutIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M9 20.75H5.25a2 2 0 0 1-2-2V5.25a2 2 0 0 1 2-2H9" />
      <path d="m16 16.5 4.5-4.5L16 7.5M20.5 12H9" />
    </Svg>
  );
}

export function SettingsIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M20.25 7h-8.5M12.25 17h-8.5" />
      <circle cx="7" cy="7" r="2.75" />
      <circle cx="17" cy="17" r="2.75" />
    </Svg>
  );
}

export function FileIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M14 2.75H6.75a2 2 0 0 0-2 2v14.5a2 2 0 0 0 2 2h10.5a2 2 0 0 0 2-2V8Z" />
      <path d="M13.75 2.75V8.25h5.5M8.75 13h6.5M8.75 16.5h4" />
    </Svg>
  );
}

export function ImageIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <rect x="3" y="3" width="18" height="18" rx="2.5" />
      <circle cx="9" cy="9" r="1.75" />
      <path d="m20.5 15.5-3.9-3.9a1.5 1.5 0 0 0-2.1 0L6 20.25" />
    </Svg>
  );
}

export function LinkIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M10 13.5a4.5 4.5 0 0 0 6.8.5l2.75-2.75a4.5 4.5 0 0 0-6.36-6.36l-1.45 1.44" />
      <path d="M14 10.5a4.5 4.5 0 0 0-6.8-.5l-2.75 2.75a4.5 4.5 0 0 0 6.36 6.36l1.44-1.44" />
    </Svg>
  );
}

export function ChartIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M3.75 3.75v14.5a2 2 0 0 0 2 2h14.5" />
      <path d="M8.5 16v-3.5M13 16V8M17.5 16v-5.5" />
    </Svg>
  );
}

export function DownloadIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M20.25 15v3.25a2 2 0 0 1-2 2H5.75a2 2 0 0 1-2-2V15" />
      <path d="m7.5 10.5 4.5 4.5 4.5-4.5M12 15V3.75" />
    </Svg>
  );
}

export function UploadIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M20.25 15v3.25a2 2 0 0 1-2 2H5.75a2 2 0 0 1-2-2V15" />
      <path d="M16.5 8.25 12 3.75l-4.5 4.5M12 3.75V15" />
    </Svg>
  );
}

export function SearchIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="10.75" cy="10.75" r="7" />
      <path d="m20.25 20.25-4.5-4.5" />
    </Svg>
  );
}

export function PlusIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 5v14M5 12h14" />
    </Svg>
  );
}

export function ChevronRightIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="m9.5 6 6 6-6 6" />
    </Svg>
  );
}

export function ChevronDownIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="m6 9.5 6 6 6-6" />
    </Svg>
  );
}

export function ExternalLinkIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M14.5 3.75h5.75V9.5M10.5 13.5l9.5-9.5" />
      <path d="M18.25 13.5v4.75a2 2 0 0 1-2 2H5.75a2 2 0 0 1-2-2V7.75a2 2 0 0 1 2-2h4.75" />
    </Svg>
  );
}

export function ClockIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="12" cy="12" r="9.25" />
      <path d="M12 7v5l3.25 2" />
    </Svg>
  );
}

/** Creatives: what partners write and send for review. */
export function PenIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12.5 20.25h8" />
      <path d="M16.6 3.9a2.1 2.1 0 0 1 3 3L7.5 19l-3.75 1.25L5 16.5Z" />
    </Svg>
  );
}

export function KeyIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="7.5" cy="15.5" r="4.5" />
      <path d="m10.7 12.3 9.8-9.8" />
      <path d="m16 7 3 3" />
      <path d="m18.5 4.5 2 2" />
    </Svg>
  );
}
