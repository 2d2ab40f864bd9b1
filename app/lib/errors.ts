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

/**
 * A 403 decided by a business rule rather than by the role guard (a person
 * deciding on their own work). `reason` is a short code for the authz_fail log
 * line, so these refusals are logged like the guards' own.
 */
export class ForbiddenError extends DomainError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message, { status: 403 });
    this.name = "ForbiddenError";
  }
}
