import { attachmentDisposition } from "./serve-object.server";

/**
 * CSV for spreadsheets. A cell that a spreadsheet would read as a formula
 * (starting with = + - @, a tab or a carriage return) is prefixed with an
 * apostrophe (OWASP CSV injection); cells are quoted when they need it. A BOM
 * makes Excel read UTF-8.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return "\uFEFF" + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** A CSV download response; the name is ASCII-safe and never comes from user input. */
export function csvResponse(csv: string, filename: string): Response {
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachmentDisposition(filename),
      // nosniff and no-store come from the security headers every response gets.
    },
  });
}
