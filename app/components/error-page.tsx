const COPY: Record<number, { title: string; body: string }> = {
  400: { title: "That request didn't look right", body: "Check what you entered and try again." },
  403: { title: "You don't have access to this page", body: "Ask your program administrator if you think you should." },
  404: { title: "Page not found", body: "The page you are looking for does not exist or has moved." },
  410: { title: "This link is no longer valid", body: "Ask for a new one." },
  429: { title: "Too many attempts", body: "Wait a little and try again." },
};

/**
 * What went wrong, and the way back: the body of the error page, and what the
 * signed-in areas show inside their own shell (AreaErrorBoundary).
 */
export function ErrorMessage({
  status,
  requestId,
  message,
  back,
}: {
  status: number;
  requestId?: string;
  message?: string;
  back: { href: string; label: string };
}) {
  const copy = COPY[status] ?? { title: "Something went wrong", body: "We could not complete this request. Please try again in a moment." };
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__status">{status}</p>
      <h1 id="error-title">{copy.title}</h1>
      <p className="muted">{message ?? copy.body}</p>
      {requestId && status >= 500 ? (
        <p className="muted">
          Request id: <code>{requestId}</code>
        </p>
      ) : null}
      <p>
        <a href={back.href} className="button button--secondary">
          {back.label}
        </a>
      </p>
    </section>
  );
}

/**
 * Shown for thrown responses and unexpected errors; never a stack trace.
 * `message` replaces the general advice with what exactly was refused, and
 * `back` leads back to where the user came from. Plain links, not Remix's
 * <Link>: a resource route renders this page too, outside any router (see
 * app/lib/error-document.server.tsx), and after an error a full page load
 * is the safer way on anyway.
 */
export function ErrorPage({
  status,
  requestId,
  programName,
  message,
  back = { href: "/", label: "Back to the home page" },
}: {
  status: number;
  requestId?: string;
  programName?: string;
  message?: string;
  back?: { href: string; label: string };
}) {
  return (
    <div className="shell">
      <header className="site-header">
        <a href="/" className="site-header__brand">
          <span className="logo-mark" aria-hidden="true" />
          <span>{programName ?? "Cobrand"}</span>
        </a>
      </header>
      <main id="main" className="site-main">
        <ErrorMessage status={status} requestId={requestId} message={message} back={back} />
      </main>
      <footer className="site-footer">
        <span>{programName && programName !== "Cobrand" ? `${programName} · Powered by Cobrand` : "Powered by Cobrand"}</span>
      </footer>
    </div>
  );
}
