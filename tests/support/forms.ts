import { JSDOM } from "jsdom";

/** A change to one field of a form: a value, several (a checkbox group: exactly these ticked), or null to leave it out. */
export type FieldChange = string | string[] | null;

/**
 * What a browser would post for the form named `formLabel` (its aria-label)
 * on the page, with `changes` applied: text, hidden and number inputs,
 * textareas, selects, the checked boxes and radios; no button (add the
 * pressed one's name and value yourself). A changed checkbox group is ticked
 * exactly as the change says; a changed field the form lacks is added.
 */
export function formEntries(html: string, formLabel: string, changes: Record<string, FieldChange> = {}): URLSearchParams {
  const form = new JSDOM(html).window.document.querySelector(`form[aria-label='${formLabel}']`);
  if (!form) throw new Error(`no form labelled ${formLabel} on the page`);
  const entries = new URLSearchParams();
  const seen = new Set<string>();
  const put = (name: string, value: string) => {
    if (!(name in changes)) return entries.append(name, value);
    if (seen.has(name)) return;
    seen.add(name);
    const change = changes[name];
    for (const v of change === null || change === undefined ? [] : Array.isArray(change) ? change : [change]) entries.append(name, v);
  };
  for (const element of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>("input[name], textarea[name], select[name]")) {
    if (element instanceof form.ownerDocument.defaultView!.HTMLInputElement) {
      if (element.type === "submit" || element.type === "button") continue;
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked && !(element.name in changes)) continue;
    }
    put(element.name, element.value);
  }
  for (const name of Object.keys(changes)) if (!seen.has(name)) put(name, "");
  return entries;
}

/** A form POST of `entries` as a browser on the same origin would send it (repeated names kept, unlike postForm's record). */
export function postEntries(server: { url: string }, pathname: string, entries: URLSearchParams, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Sec-Fetch-Site": "same-origin", ...headers },
    body: entries,
  });
}
