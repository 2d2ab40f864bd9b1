// The user roles as plain data. The `user_role` pgEnum (./auth.ts) is built
// from this list, so the database and the code cannot disagree; the list sits
// in a file of its own, free of drizzle, because the browser bundle reads it
// too (through app/domain/accounts/roles.ts) and must not carry drizzle along.
// A new role here needs a migration (npm run db:generate) like any enum change.

export const USER_ROLES = ["admin", "brand_reviewer", "legal_reviewer", "analyst", "partner"] as const;

export type UserRole = (typeof USER_ROLES)[number];
export type InternalRole = Exclude<UserRole, "partner">;

/** The brand team's roles: every role but the partners' own. */
export const INTERNAL_ROLES: readonly InternalRole[] = USER_ROLES.filter((role): role is InternalRole => role !== "partner");
