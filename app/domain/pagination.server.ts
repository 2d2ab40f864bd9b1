export type Page<T> = { rows: T[]; total: number; page: number; pageCount: number };

/** The ?page= of a list URL (or another parameter's, for a second list on a page), 1 when missing or nonsense. */
export function pageNumberFrom(request: Request, param = "page"): number {
  const value = Number(new URL(request.url).searchParams.get(param));
  return Number.isSafeInteger(value) && value > 0 ? value : 1;
}

/** One page of a list and its total, fetched together. */
export async function paginate<T>(
  page: number,
  pageSize: number,
  fetchRows: (limit: number, offset: number) => Promise<T[]>,
  countRows: () => Promise<{ n: number }[]>,
): Promise<Page<T>> {
  const [rows, [total]] = await Promise.all([fetchRows(pageSize, (page - 1) * pageSize), countRows()]);
  const n = total?.n ?? 0;
  return { rows, total: n, page, pageCount: Math.max(1, Math.ceil(n / pageSize)) };
}
