import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { brandFilePath, type LogoRef } from "~/domain/settings/catalog";
import { badgeCount, bellLabel, NOTIFICATIONS_PATH } from "~/domain/notifications/catalog";
import { ToastRegion } from "./toast";
import { BellIcon } from "./ui";

type Branding = { name: string; logo?: LogoRef | null };
type ShellUser = { name: string; email: string; role: string } | null;

/**
 * The program's logo, or the default mark when none was uploaded. Decorative
 * (alt=""): the program name always follows it in the same link.
 */
export function BrandLogo({ logo }: { logo: LogoRef | null | undefined }) {
  if (!logo) return <span className="logo-mark" aria-hidden="true" />;
  return <img className="brand-logo" src={brandFilePath("logo", logo)} alt="" width={logo.width} height={logo.height} />;
}

/** Public pages: the program's header, content, footer. */
export function PublicShell({ branding, user, children }: { branding: Branding; user: ShellUser; children: ReactNode }) {
  // On the sign-in page a "Sign in" button in the header only repeats the
  // form, and during first-run setup there is no account to sign in to yet.
  const { pathname } = useLocation();
  const onSignIn = pathname === "/login" || pathname === "/setup";
  return (
    <div className="shell">
      <header className="site-header">
        <Link to="/" className="site-header__brand">
          <BrandLogo logo={branding.logo} />
          <span>{branding.name}</span>
        </Link>
        {user ? (
          <nav aria-label="Site" className="site-header__nav">
            <Link className="button button--primary button--sm" to={user.role === "partner" ? "/partner" : "/admin"}>
              Go to your dashboard
            </Link>
          </nav>
        ) : onSignIn ? null : (
          <nav aria-label="Site" className="site-header__nav">
            <Link className="button button--secondary button--sm" to="/login">
              Sign in
            </Link>
          </nav>
        )}
      </header>
      <main id="main" className="site-main">
        <ToastRegion />
        {children}
      </main>
      <footer className="site-footer">
        <span>{branding.name === "Cobrand" ? "Powered by Cobrand" : `${branding.name} · Powered by Cobrand`}</span>
        <nav aria-label="Footer" className="cluster cluster--sm">
          <Link to="/apply/status">Application status</Link>
          <Link to="/privacy">Privacy</Link>
        </nav>
      </footer>
    </div>
  );
}

/** Narrow centred card for sign-in, setup and password pages, and short public answers. */
export function AuthShell({
  branding,
  title,
  description,
  user = null,
  children,
}: {
  branding: Branding;
  title: string;
  description?: ReactNode;
  user?: ShellUser;
  children: ReactNode;
}) {
  return (
    <PublicShell branding={branding} user={user}>
      <section className="auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{title}</h1>
        {description ? <p className="muted">{description}</p> : null}
        {children}
      </section>
    </PublicShell>
  );
}

export type NavItem = { to: string; label: string; icon?: ReactNode; end?: boolean };

/** The navigation as a menu on phones: Escape closes it and puts focus back on its toggle, as a menu button does. */
function PhoneMenu({ label, children }: { label: string; children: ReactNode }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const toggle = useRef<HTMLElement>(null);
  const closeOnEscape = (event: KeyboardEvent<HTMLDetailsElement>) => {
    if (event.key !== "Escape" || !menu.current?.open) return;
    event.preventDefault();
    menu.current.open = false;
    toggle.current?.focus();
  };
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- <details> is a disclosure widget, not static content: Escape pressed inside the open menu closes it, as a menu button does.
    <details className="app-nav-toggle" ref={menu} onKeyDown={closeOnEscape}>
      <summary ref={toggle}>
        <span>Menu</span>
      </summary>
      <nav aria-label={label}>{children}</nav>
    </details>
  );
}

/** Signed-in areas: sidebar navigation by role, collapsing to a menu on phones. */
export function AppShell({
  branding,
  user,
  areaLabel,
  nav,
  unread = 0,
  children,
}: {
  branding: Branding;
  user: { name: string; email: string };
  areaLabel: string;
  nav: NavItem[];
  /** The person's unread notifications: the bell's badge. */
  unread?: number;
  children: ReactNode;
}) {
  // Keyed by path so the phone menu closes after a client-side navigation.
  const { pathname } = useLocation();
  const links = (
    <ul className="nav-list">
      {nav.map((item) => (
        <li key={item.to}>
          <NavLink to={item.to} end={item.end} className="nav-link" prefetch="intent">
            {item.icon}
            <span>{item.label}</span>
          </NavLink>
        </li>
      ))}
    </ul>
  );
  return (
    <div className="app-layout">
      <aside className="app-sidebar">
        <div className="app-sidebar__brand">
          <Link to="/" className="site-header__brand">
            <BrandLogo logo={branding.logo} />
            <span>{branding.name}</span>
          </Link>
          <span className="app-sidebar__area">{areaLabel}</span>
          <Link to={NOTIFICATIONS_PATH} className="bell" aria-label={bellLabel(unread)} title={bellLabel(unread)}>
            <BellIcon size={20} />
            {unread > 0 ? (
              <span className="bell__badge" aria-hidden="true">
                {badgeCount(unread)}
              </span>
            ) : null}
          </Link>
        </div>
        <PhoneMenu key={pathname} label={areaLabel}>
          {links}
        </PhoneMenu>
        <nav aria-label={areaLabel} className="app-sidebar__nav">
          {links}
        </nav>
        <div className="app-sidebar__user">
          <div className="app-sidebar__user-name">{user.name}</div>
          <div className="app-sidebar__user-email muted">{user.email}</div>
          <div className="cluster">
            <Link to="/account" className="nav-link nav-link--small">
              Account
            </Link>
            <Form method="post" action="/logout">
              <button type="submit" className="button button--ghost button--sm">
                Sign out
              </button>
            </Form>
          </div>
        </div>
      </aside>
      <main id="main" className="app-content">
        <ToastRegion />
        {children}
      </main>
    </div>
  );
}
