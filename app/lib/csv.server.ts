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

type CsvRow = readonly (string | number | null | undefined)[];

const csvLine = (row: CsvRow) => row.map(csvCell).join(",") + "\r\n";

export function toCsv(rows: readonly CsvRow[]): string {
  return "\uFEFF" + rows.map(csvLine).join("");
}

/** A CSV download response; the name is ASCII-safe and never comes from user input. */
export function csvResponse(csv: string | ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachmentDisposition(filename),
      // nosniff and no-store come from the security headers every response gets.
    },
  });
}

/**
 * A CSV streamed batch by batch as the rows are read, for exports too long to
 * build in memory (the audit trail). Same cells and BOM as `toCsv`.
 */
export function csvStreamResponse(header: CsvRow, batches: AsyncIterable<readonly CsvRow[]>, filename: string): Response {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("\uFEFF" + csvLine(header)));
    },
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map(csvLine).join("")));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return csvResponse(stream, filename);
}
