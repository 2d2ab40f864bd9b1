import { Link } from "@remix-run/react";
import { policyPath } from "~/domain/policies/catalog";
import { countOf } from "./format";

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

/** Word-level changes: insertions underlined, deletions struck through. */
export function PolicyDiff({ parts }: { parts: DiffPart[] }) {
  return (
    <p className="policy-diff prose-block" aria-label="Changes: insertions are underlined, deletions struck through">
      {parts.map((part, i) =>
        part.kind === "added" ? <ins key={i}>{part.text}</ins> : part.kind === "removed" ? <del key={i}>{part.text}</del> : <span key={i}>{part.text}</span>,
      )}
    </p>
  );
}

/** Policy text already rendered and sanitized on the server (renderPolicyMarkdown). */
export function PolicyText({ html }: { html: string }) {
  return <div className="policy-text" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** How many organisations of how many are covered, as a bar a person reads at a glance. */
export function CoverageBar({ covered, total }: { covered: number; total: number }) {
  const percent = total === 0 ? 0 : Math.round((covered / total) * 100);
  return (
    <span className="coverage-bar" role="img" aria-label={`${percent}% of organisations covered`}>
      <span style={{ width: `${percent}%` }} />
    </span>
  );
}

export type PublicationImpact = { organisations: number; people: number };

/** "This gates 4 organisations, 7 people": whom a material version holds at the gate. */
export function gatesSentence({ organisations, people }: PublicationImpact, required: boolean): string {
  if (!required) return "This policy is optional, so it gates no one.";
  if (people === 0) return "This gates no one: no partner organisation has an active member yet.";
  return `This gates ${countOf(organisations, "organisation", "organisations")}, ${countOf(people, "person", "people")}.`;
}

export type PolicyChange = { policyId: string; title: string; number: number; changeSummary: string };

/** Which policies changed since the partner accepted them, each with its one-line summary and a link to read it. */
export function PolicyChanges({ changes, label, redirectTo }: { changes: PolicyChange[]; label: string; redirectTo?: string | null }) {
  return (
    <ul className="plain-list stack stack--sm" aria-label={label}>
      {changes.map((c) => (
        <li key={c.policyId}>
          <Link to={policyPath(c.policyId, redirectTo)}>{`${c.title}, version ${c.number}`}</Link>
          {c.changeSummary ? `: ${c.changeSummary}` : null}
        </li>
      ))}
    </ul>
  );
}
