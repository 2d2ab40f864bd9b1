/**
 * Each kind of refusal the domain can make, with the one HTTP status it is
 * answered with. The domain picks a kind (what went wrong, in its own words);
 * only app/lib reads the status (app/lib/domain-responses.server.ts), so a
 * status is decided here once rather than at each throw.
 */
export const DOMAIN_ERROR_STATUS = {
  /** The input breaks a rule: the form again, with the message. */
  invalid: 400,
  /** A business rule refuses this person (always a ForbiddenError, logged as authz_fail). */
  forbidden: 403,
  /** Nothing of that id, or nothing this person may see: the same answer for both. */
  not_found: 404,
  /** The state of things refuses it (already approved, changed meanwhile, a duplicate). */
  conflict: 409,
  /** A link or token that worked once and no longer does. */
  gone: 410,
  /** A file over its limit. */
  too_large: 413,
  /** A file of a type that is not accepted here. */
  unsupported_type: 415,
  /** A file of the right type that cannot be processed (damaged, too many pixels). */
  unprocessable: 422,
  /** Too many attempts: try again later. */
  rate_limited: 429,
} as const;

export type DomainErrorKind = keyof typeof DOMAIN_ERROR_STATUS;

export type DomainErrorOptions = {
  /**
   * Any kind but `forbidden`, which is a ForbiddenError: a 403 always carries
   * the reason its authz_fail log line needs. Defaults to `invalid`.
   */
  kind?: Exclude<DomainErrorKind, "forbidden">;
  /** The form field the message belongs to; none puts it at the top of the form. */
  field?: string;
  /**
   * Every field the refusal concerns, when there are several (an API's 409
   * names each field of a repeat that differs from the first request).
   */
  fields?: readonly string[];
};

/**
 * A rule the user broke, with a message fit to show them. Routes turn it into
 * an answer through app/lib/domain-responses.server.ts: the form again with
 * the message at `field` (or at the top), or the error page of its status.
 */
export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly field: string | undefined;
  readonly fields: readonly string[];
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.name = "DomainError";
    this.kind = options.kind ?? "invalid";
    this.field = options.field;
    this.fields = options.fields ?? (options.field === undefined ? [] : [options.field]);
  }
  /** The HTTP status of the kind (for app/lib; the domain speaks in kinds). */
  get status(): number {
    return DOMAIN_ERROR_STATUS[this.kind];
  }
}

/**
 * Nothing of that id, or nothing this person may see. Its message is for logs
 * and tests: the person gets the plain 404 page, which says the same for an id
 * that does not exist and one they may not see.
 */
export class NotFoundError extends DomainError {
  constructor(message = "Not found.") {
    super(message, { kind: "not_found" });
    this.name = "NotFoundError";
  }
}

/**
 * A 403 decided by a business rule rather than by the role guard (a person
 * deciding on their own work, a member doing the owner's part, an original
 * the brand does not offer). `reason` is a short code for the authz_fail log
 * line, so these refusals are logged like the guards' own.
 */
export class ForbiddenError extends DomainError {
  override readonly kind = "forbidden";
  constructor(
    message: string,
    readonly reason: string,
    options: { field?: string } = {},
  ) {
    super(message, options);
    this.name = "ForbiddenError";
  }
}
