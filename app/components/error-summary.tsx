import { useEffect, useRef, type MouseEvent } from "react";

export type ErrorSummaryItem = { message: string; /** The id of the control to go to. */ target: string };

/**
 * The GOV.UK error summary: a box at the top of a form that lists every
 * error with a link to its field. Without JavaScript it is a visible list of
 * links; with it, focus moves to the box when it appears (role=alert reads it
 * out), and a link focuses its field with the field's label in view.
 */
export function ErrorSummary({
  items,
  failure,
  title = "There is a problem",
  intro,
}: {
  items: ErrorSummaryItem[];
  /** The answer the errors came from: each new one (another failed submit) takes focus again. */
  failure: object | null;
  title?: string;
  intro?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const hasItems = items.length > 0;
  useEffect(() => {
    if (failure && hasItems) box.current?.focus();
  }, [failure, hasItems]);
  if (items.length === 0) return null;
  return (
    <div ref={box} className="error-summary" role="alert" tabIndex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="error-summary__title">
        {title}
      </h2>
      {intro ? <p className="error-summary__intro">{intro}</p> : null}
      <ul className="error-summary__list">
        {items.map((item) => (
          <li key={`${item.target}:${item.message}`}>
            <a href={`#${item.target}`} onClick={focusTarget}>
              {item.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Focuses the field and scrolls its label or legend into view (a bare #id jump would hide the question above the top edge). */
function focusTarget(event: MouseEvent<HTMLAnchorElement>) {
  const id = event.currentTarget.hash.slice(1);
  const control = document.getElementById(decodeURIComponent(id));
  if (!control) return;
  event.preventDefault();
  const question = control.closest("fieldset")?.querySelector("legend") ?? document.querySelector(`label[for="${CSS.escape(control.id)}"]`) ?? control;
  question.scrollIntoView({ block: "start" });
  control.focus({ preventScroll: true });
}
