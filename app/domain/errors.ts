// The error types live in app/lib (its form and response helpers map them to
// 400/403/404/409 answers, and app/lib never imports the domain); the domain
// throws them from here.
export { DomainError, ForbiddenError } from "~/lib/errors";
