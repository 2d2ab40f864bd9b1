import { useEffect, useRef } from "react";

/** A form that empties once its intent succeeded, ready for the next entry (e.g. the next invitation). */
export function useResetOnSuccess(actionData: { ok: boolean; intent?: string } | undefined, intent: string) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (actionData?.ok && actionData.intent === intent) form.current?.reset();
  }, [actionData, intent]);
  return form;
}
