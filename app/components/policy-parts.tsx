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
