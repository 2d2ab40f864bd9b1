/**
 * A rule the user broke, with a message fit to show them. Routes turn it into
 * a 4xx with the message at `field` (or at the top of the form).
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly options: { field?: string; status?: number } = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
  get status(): number {
    return this.options.status ?? 400;
  }
}
