import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { brandFilePath, type LogoRef } from "~/domain/settings/catalog";
import { unreadCount } from "~/domain/notifications/notify.server";
import { getBranding } from "~/domain/settings/program.server";
import { getUser } from "~/lib/guards.server";
import { readToast } from "~/lib/toast.server";
import { useNonce } from "./components/nonce";
import { ErrorPage } from "./components/error-page";
import { brandStyle } from "./components/ui";
import stylesheet from "./styles/app.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }];

/** The program's favicon, rendered from its logo at upload; Cobrand's own without a logo. */
function FaviconLinks({ logo }: { logo: LogoRef | null | undefined }) {
  if (!logo) {
    return (
      <>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
      </>
    );
  }
  return (
    <>
      <link rel="icon" href={brandFilePath("favicon-32.png", logo)} type="image/png" sizes="32x32" />
      <link rel="apple-touch-icon" href={brandFilePath("favicon-180.png", logo)} sizes="180x180" />
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.branding.name ?? "Cobrand" },
  { name: "description", content: data?.branding.tagline ?? "Partner portal" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [branding, user, toast] = await Promise.all([getBranding(context.app.db), getUser(context, request), readToast(context, request)]);
  return {
    branding,
    user: user && { id: user.id, name: user.name, email: user.email, role: user.role, partnerRole: user.partnerRole },
    // The bell's count in every signed-in area's header: one indexed count of the person's own unread rows.
    unreadNotifications: user ? await unreadCount(context.app.db, user.id) : 0,
    requestId: context.requestId,
    toast,
  };
}

/**
 * This loader reads the flash toast (app/lib/toast.server.ts), so it runs on
 * every navigation, not only after a form: a toast set by an answer the router
 * did not see (the upload endpoint's, app/components/upload-form.tsx) shows on
 * the page the browser goes to next, never on a later one, and a toast goes
 * away when the user moves on. With single fetch it rides along in the same
 * request as the page's own loaders.
 */
export const shouldRevalidate: ShouldRevalidateFunction = () => true;

export type RootData = Awaited<ReturnType<typeof loader>>;

function Document({ children, brandColor, logo }: { children: ReactNode; brandColor?: string; logo?: LogoRef | null }) {
  const nonce = useNonce();
  return (
    <html lang="en" style={brandColor ? brandStyle(brandColor) : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <FaviconLinks logo={logo} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { branding } = useLoaderData<typeof loader>();
  return (
    <Document brandColor={branding.brandColor} logo={branding.logo}>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <Document brandColor={data?.branding.brandColor} logo={data?.branding.logo}>
      <ErrorPage status={status} requestId={data?.requestId} programName={data?.branding.name} />
    </Document>
  );
}
