import { Link, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useState } from "react";
import type { RootData } from "~/root";
import type { ShownToast } from "~/lib/toast";
import { useHydrated } from "./use-hydrated";
import { CheckCircleIcon, CloseIcon, InfoIcon } from "./ui";

/**
 * Where the flash toast (app/lib/toast.ts) shows: first in the page's main
 * content, where the per-page success messages used to be, and in the flow
 * rather than over it, so it never covers a control and reflows when zoomed.
 * Both shells render it, so every page has it. The root loader reads the
 * toast. The live region stays in the page when empty: a screen reader
 * announces changes to a region it already knows, which is how a toast
 * arrives after a client-side navigation.
 */
export function ToastRegion() {
  const toast = useRouteLoaderData<RootData>("root")?.toast ?? null;
  return (
    <div className="toast-region no-print" role="status" aria-live="polite">
      {toast ? <ToastCard key={toast.id} toast={toast} /> : null}
    </div>
  );
}

function ToastCard({ toast }: { toast: ShownToast }) {
  const [dismissed, setDismissed] = useState(false);
  const hydrated = useHydrated();
  const { pathname, search } = useLocation();
  if (dismissed) return null;
  return (
    <div className={`toast alert alert--${toast.kind}`}>
      {toast.kind === "success" ? <CheckCircleIcon /> : <InfoIcon />}
      <div className="alert__content">
        {toast.title ? <p className="alert__title">{toast.title}</p> : null}
        <p>{toast.message}</p>
        {toast.link ? (
          <div className="alert__actions">
            <Link to={toast.link.to} className="button button--primary button--sm">
              {toast.link.label}
            </Link>
          </div>
        ) : null}
      </div>
      {hydrated ? (
        <button type="button" className="toast__dismiss" onClick={() => setDismissed(true)}>
          <CloseIcon />
          <span className="visually-hidden">Dismiss</span>
        </button>
      ) : (
        // Without JavaScript, dismissing loads the page again: the toast was read once, so it is gone.
        <a href={`${pathname}${search}`} className="toast__dismiss">
          <CloseIcon />
          <span className="visually-hidden">Dismiss</span>
        </a>
      )}
    </div>
  );
}
