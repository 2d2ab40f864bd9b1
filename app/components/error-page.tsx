import { Link } from "@remix-run/react";

const COPY: Record<number, { title: string; body: string }> = {
  400: { title: "That request didn't look right", body: "Check what you entered and try again." },
  403: { title: "You don't have access to this page", body: "Ask your program administrator if you think you should." },
  404: { title: "Page not found", body: "The page you are looking for does not exist or has moved." },
  410: { title: "This link is no longer valid", body: "Ask for a new one." },
  429: { title: "Too many attempts", body: "Wait a little and try again." },
};

/** Shown for thrown responses and unexpected errors; never a stack trace. */
export function ErrorPage({ status, requestId, programName }: { status: number; requestId?: string; programName?: string }) {
  const copy = COPY[status] ?? { title: "Something went wrong", body: "We could not complete this request. Please try again in a moment." };
  return (
    <div className="shell">
      <header className="site-header">
        <Link to="/" className="site-header__brand">
          <span className="logo-mark" aria-hidden="true" />
          <span>{programName ?? "Cobrand"}</span>
        </Link>
      </header>
      <main id="main" className="site-main">
        <section className="error-page" aria-labelledby="error-title">
          <p className="error-page__status">{status}</p>
          <h1 id="error-title">{copy.title}</h1>
          <p className="muted">{copy.body}</p>
          {requestId && status >= 500 ? (
            <p className="muted">
              Request id: <code>{requestId}</code>
            </p>
          ) : null}
          <p>
            <Link to="/" className="button button--secondary">
              Back to the home page
            </Link>
          </p>
        </section>
      </main>
      <footer className="site-footer">
        <span>{programName && programName !== "Cobrand" ? `${programName} · Powered by Cobrand` : "Powered by Cobrand"}</span>
      </footer>
    </div>
  );
}
