import { useHydrated } from "../use-hydrated";
import { Button } from "../ui";

/**
 * Prints the report: the print stylesheet (app.css, @media print) leaves
 * out the navigation, the tabs, the range form and the buttons, and shows
 * every chart's table. Only once the page is interactive, since it needs
 * JavaScript; the browser's own Print does the same without it.
 */
export function PrintButton() {
  const hydrated = useHydrated();
  if (!hydrated) return null;
  return (
    <Button variant="secondary" className="no-print" onClick={() => window.print()}>
      Print
    </Button>
  );
}
