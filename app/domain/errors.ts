// The error types live in app/lib (its response helpers map each kind to its
// 400/403/404/409... answer, and app/lib never imports the domain); the domain
// throws them from here.
export { DomainError, ForbiddenError, NotFoundError, type DomainErrorKind } from "~/lib/errors";
