// The flash toast: one message the server hands to the next page a browser
// loads after an action, shown once by <ToastRegion> (app/components/toast.tsx)
// in the page shells. The message always comes from the server
// (app/lib/toast.server.ts carries it in a signed cookie), never from the
// address bar, so a crafted link cannot make the page say something. Shared
// with the browser bundle: types only, no cookie code.

export type ToastKind = "success" | "info";

export type Toast = {
  kind: ToastKind;
  message: string;
  /** A short first line in bold, for a toast that says two things. */
  title?: string;
  /** A way on from here (a path on this site), shown under the message. */
  link?: { to: string; label: string };
};

/** A toast as the page gets it: `id` tells two toasts with the same words apart. */
export type ShownToast = Toast & { id: string };
