import { bigserial, boolean, index, pgEnum, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { partnerOrganisations } from "./partners";

export const incidentKind = pgEnum("incident_kind", ["misleading_claim", "missing_disclosure", "brand_misuse", "data_issue", "fraud", "other"]);
export const incidentSeverity = pgEnum("incident_severity", ["low", "medium", "high", "critical"]);
export const incidentStatus = pgEnum("incident_status", ["open", "investigating", "resolved"]);
/** Who opened it: a person of the brand team, or the kill switch as part of a pause or termination. */
export const incidentSource = pgEnum("incident_source", ["staff", "kill_switch"]);
/** What an incident can point at: a submitted creative version, a tracking link, a conversion. */
export const incidentObjectKind = pgEnum("incident_object_kind", ["creative_version", "link", "conversion"]);
export const incidentEventKind = pgEnum("incident_event_kind", [
  "opened",
  "note",
  "partner_reply",
  "status_changed",
  "owner_changed",
  "severity_changed",
  "shared",
  "unshared",
  "object_linked",
  "partner_status",
]);
/** Who reads a timeline entry: the brand team only, or the partner too (when the incident is shared with them). */
export const incidentVisibility = pgEnum("incident_visibility", ["internal", "partner"]);

/**
 * Something wrong about a partner (issue 17 point 2): a misleading claim, a
 * missing disclosure, fraud... It belongs to one partner organisation; the
 * partner sees it only once `shared_with_partner` is set, and then only the
 * timeline entries marked for them.
 */
export const incidents = pgTable(
  "incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Shown as INC-0042: what people say on the phone.
    number: serial("number").notNull(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => partnerOrganisations.id),
    title: text("title").notNull(),
    kind: incidentKind("kind").notNull(),
    severity: incidentSeverity("severity").notNull(),
    status: incidentStatus("status").notNull().default("open"),
    description: text("description").notNull(),
    ownerId: uuid("owner_id").references(() => users.id),
    sharedWithPartner: boolean("shared_with_partner").notNull().default(false),
    source: incidentSource("source").notNull().default("staff"),
    // The person who opened it (for the kill switch, the admin who pulled it).
    openedById: uuid("opened_by_id").references(() => users.id),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolutionNote: text("resolution_note"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("incidents_number_uq").on(t.number),
    // Incidents per partner over time (the partner page, reports).
    index("incidents_org_opened_idx").on(t.organisationId, t.openedAt),
    index("incidents_status_idx").on(t.status, t.openedAt),
  ],
);

/**
 * The timeline: one row per thing that happened, never changed. Notes carry
 * `body`; changes carry `from_value`/`to_value`; a linked object carries its
 * kind and id. `visibility` decides whether the partner reads it.
 */
export const incidentEvents = pgTable(
  "incident_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id),
    kind: incidentEventKind("kind").notNull(),
    visibility: incidentVisibility("visibility").notNull(),
    authorId: uuid("author_id").references(() => users.id),
    body: text("body"),
    fromValue: text("from_value"),
    toValue: text("to_value"),
    objectKind: incidentObjectKind("object_kind"),
    objectId: uuid("object_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("incident_events_incident_idx").on(t.incidentId, t.id)],
);

/** The objects an incident is about, for "incidents about this creative / link" (the timeline says when each was linked). */
export const incidentLinks = pgTable(
  "incident_links",
  {
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id),
    objectKind: incidentObjectKind("object_kind").notNull(),
    objectId: uuid("object_id").notNull(),
    linkedAt: timestamp("linked_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.objectKind, t.objectId] }), index("incident_links_object_idx").on(t.objectKind, t.objectId)],
);

export type Incident = typeof incidents.$inferSelect;
export type IncidentEvent = typeof incidentEvents.$inferSelect;
