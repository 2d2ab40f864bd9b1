import { applicationLabelOf, type ApplicationStatus } from "~/domain/applications/catalog";
import { Badge, type BadgeTone } from "./ui";

const STATUS_TONE: Record<ApplicationStatus, BadgeTone> = {
  submitted: "info",
  info_requested: "warning",
  approved: "success",
  rejected: "danger",
};

export function ApplicationStatusBadge({ status }: { status: ApplicationStatus }) {
  return (
    <Badge tone={STATUS_TONE[status]} dot>
      {applicationLabelOf(status)}
    </Badge>
  );
}

export const scoreTone = (score: number): BadgeTone => (score >= 70 ? "success" : score >= 45 ? "warning" : "danger");

/** The fit score as a number and a bar, so a column of them reads at a glance. */
export function FitScore({ score }: { score: number }) {
  return (
    <span className={`fit-score fit-score--${scoreTone(score)}`}>
      <span className="fit-score__value tabular">{score}</span>
      <span className="fit-score__track" aria-hidden="true">
        <span className="fit-score__bar" style={{ width: `${Math.max(0, Math.min(100, score))}%` }} />
      </span>
      <span className="visually-hidden"> out of 100</span>
    </span>
  );
}

type Flag = { code: string; severity: "high" | "medium" | "low"; message: string };
const FLAG_TONE: Record<Flag["severity"], BadgeTone> = { high: "danger", medium: "warning", low: "neutral" };
const FLAG_SHORT: Record<string, string> = {
  duplicate_email: "Duplicate email",
  duplicate_domain: "Duplicate website",
  disposable_email: "Disposable email",
  blocked_email_domain: "Blocked domain",
  email_domain_mismatch: "Email ≠ website",
  region_not_served: "Region not served",
  no_website: "No website",
};
export const flagLabel = (code: string) => FLAG_SHORT[code] ?? code.replace(/_/g, " ");

/** Risk flags as compact badges; the full message is in the title and the detail page. */
export function FlagBadges({ flags }: { flags: Flag[] }) {
  if (flags.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="flag-list" aria-label="Risk flags">
      {flags.map((flag) => (
        <li key={flag.code}>
          <Badge tone={FLAG_TONE[flag.severity]}>{flagLabel(flag.code)}</Badge>
        </li>
      ))}
    </ul>
  );
}
