// Shared with the browser bundle: the words and colours of incidents.

export const INCIDENT_KIND_LABELS = {
  misleading_claim: "Misleading claim",
  missing_disclosure: "Missing disclosure",
  brand_misuse: "Brand misuse",
  data_issue: "Data issue",
  fraud: "Fraud",
  other: "Other",
} as const;
export type IncidentKind = keyof typeof INCIDENT_KIND_LABELS;
export const INCIDENT_KINDS = Object.keys(INCIDENT_KIND_LABELS) as [IncidentKind, ...IncidentKind[]];

export const INCIDENT_SEVERITY_LABELS = { low: "Low", medium: "Medium", high: "High", critical: "Critical" } as const;
export type IncidentSeverity = keyof typeof INCIDENT_SEVERITY_LABELS;
export const INCIDENT_SEVERITIES = Object.keys(INCIDENT_SEVERITY_LABELS) as [IncidentSeverity, ...IncidentSeverity[]];
export const INCIDENT_SEVERITY_TONE = { low: "neutral", medium: "info", high: "warning", critical: "danger" } as const satisfies Record<
  IncidentSeverity,
  string
>;

export const INCIDENT_STATUS_LABELS = { open: "Open", investigating: "Investigating", resolved: "Resolved" } as const;
export type IncidentStatus = keyof typeof INCIDENT_STATUS_LABELS;
export const INCIDENT_STATUSES = Object.keys(INCIDENT_STATUS_LABELS) as [IncidentStatus, ...IncidentStatus[]];
export const INCIDENT_STATUS_TONE = { open: "danger", investigating: "warning", resolved: "success" } as const satisfies Record<IncidentStatus, string>;

export const INCIDENT_OBJECT_LABELS = { creative_version: "Creative version", link: "Tracking link", conversion: "Conversion" } as const;
export type IncidentObjectKind = keyof typeof INCIDENT_OBJECT_LABELS;
export const INCIDENT_OBJECT_KINDS = Object.keys(INCIDENT_OBJECT_LABELS) as [IncidentObjectKind, ...IncidentObjectKind[]];

/** The longest title, description and note (the forms' maxlength and the schemas' limit). */
export const INCIDENT_LIMITS = { titleMax: 200, descriptionMax: 5000, noteMax: 5000 } as const;

/** INC-0042. */
export const incidentReference = (number: number) => `INC-${String(number).padStart(4, "0")}`;

/** Unresolved: what "open incidents" counts. */
export const isUnresolved = (status: IncidentStatus) => status !== "resolved";
