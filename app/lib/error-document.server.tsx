import { renderToStaticMarkup } from "react-dom/server";
import { ErrorPage } from "~/components/error-page";
import { brandStyle } from "~/components/ui";
import stylesheet from "~/styles/app.css";

export type ErrorDocumentOptions = {
  status: number;
  /** What was refused, for the person who asked. */
  message: string;
  /** Where to go from here (the page the request came from). */
  back: { href: string; label: string };
  branding: { name: string; brandColor: string };
  /** The page's title; by default it says what a download route refused. */
  title?: string;
};

/**
 * A whole HTML page for a refusal answered by a resource route: the same
 * error page, stylesheet and brand colour as the root error boundary's, with
 * the status kept. A resource route never reaches Remix's error boundaries
 * (what it throws is sent as it is), and a route with a component cannot
 * stream a file, so the page is rendered here. It has no script, so it needs
 * no CSP nonce.
 */
export function errorDocument({ status, message, back, branding, title: heading }: ErrorDocumentOptions): Response {
  const title = `${heading ?? (status === 403 ? "Not available" : "Cannot download this")} · ${branding.name}`;
  const html = renderToStaticMarkup(
    <html lang="en" style={brandStyle(branding.brandColor)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href={stylesheet} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <ErrorPage status={status} programName={branding.name} message={message} back={back} />
      </body>
    </html>,
  );
  return new Response(`<!DOCTYPE html>${html}`, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
