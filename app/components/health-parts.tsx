import { HEALTH_BAND_LABELS, HEALTH_BAND_TONE, healthBandOf, type HealthComponent, type HealthScore } from "~/domain/partners/health-score";
import { Badge, DataTable } from "./ui";

/** A score with its band ("72 · Fair"), or "Not scored". */
export function HealthBadge({ score }: { score: number | null }) {
  if (score === null) return <span className="muted">Not scored</span>;
  const band = healthBandOf(score);
  return (
    <Badge tone={HEALTH_BAND_TONE[band]}>
      <span className="tabular">{score}</span> · {HEALTH_BAND_LABELS[band]}
    </Badge>
  );
}

const pointsOf = (c: { points: number | null; max: number }) => (c.points === null ? "No data" : `${c.points} / ${c.max}`);

/** The score's four components, each part with what it counted, and (the partner's Reports) what it can do about it. */
export function HealthComponents({
  health,
  headingLevel = 3,
  after,
}: {
  health: HealthScore;
  headingLevel?: 3 | 4;
  /** Shown under a component's parts. */
  after?: (component: HealthComponent) => React.ReactNode;
}) {
  const Heading = `h${headingLevel}` as const;
  return (
    <ul className="health-components plain-list">
      {health.components.map((c: HealthComponent) => (
        <li key={c.key} className="health-component">
          <div className="health-component__head">
            <Heading className="health-component__title">{c.label}</Heading>
            <span className="health-component__points tabular">{pointsOf(c)}</span>
          </div>
          <meter className="health-component__meter" min={0} max={c.max} value={c.points ?? 0} aria-label={`${c.label}: ${pointsOf(c)}`} />
          <ul className="health-component__parts">
            {c.parts.map((p) => (
              <li key={p.label}>
                <strong>{p.label}</strong> <span className="tabular">({pointsOf(p)})</span>: {p.reason}
              </li>
            ))}
          </ul>
          {after ? after(c) : null}
        </li>
      ))}
    </ul>
  );
}

export type TrendPoint = { period: string; score: number | null };

const monthLabel = (period: string) => new Date(`${period}-01T00:00:00Z`).toLocaleDateString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

/**
 * The score over the last months as a small line drawn on the server (an SVG,
 * no script: six points need no charting library), with its figures as a
 * table for screen readers and exact values. Months without a score leave a
 * gap in the line.
 */
export function HealthTrend({ points, title = "Health score by month" }: { points: readonly TrendPoint[]; title?: string }) {
  const width = 320;
  const height = 120;
  const pad = { left: 28, right: 16, top: 8, bottom: 22 };
  const x = (i: number) => pad.left + (points.length > 1 ? (i * (width - pad.left - pad.right)) / (points.length - 1) : 0);
  const y = (score: number) => pad.top + ((100 - score) * (height - pad.top - pad.bottom)) / 100;
  const segments: string[] = [];
  let current = "";
  points.forEach((p, i) => {
    if (p.score === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${x(i).toFixed(1)},${y(p.score).toFixed(1)} `;
  });
  if (current) segments.push(current);
  const scored = points.filter((p) => p.score !== null);
  const summary = scored.length
    ? `${title}: from ${scored[0]!.score} in ${monthLabel(scored[0]!.period)} to ${scored.at(-1)!.score} in ${monthLabel(scored.at(-1)!.period)}. The table below has every month.`
    : `${title}: not scored in any of these months.`;
  return (
    <div className="health-trend">
      <svg className="health-trend__plot" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
        {[0, 50, 100].map((v) => (
          <g key={v}>
            <line x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} className="health-trend__grid" />
            <text x={pad.left - 4} y={y(v) + 3} textAnchor="end" className="health-trend__tick">
              {v}
            </text>
          </g>
        ))}
        {points.map((p, i) => (
          <text key={p.period} x={x(i)} y={height - 6} textAnchor="middle" className="health-trend__tick">
            {monthLabel(p.period).split(" ")[0]}
          </text>
        ))}
        {segments.map((d) => (
          <path key={d} d={d} className="health-trend__line" />
        ))}
        {points.map((p, i) => (p.score === null ? null : <circle key={p.period} cx={x(i)} cy={y(p.score)} r={3} className="health-trend__dot" />))}
      </svg>
      <details className="clicks-chart__numbers">
        <summary>{title} as a table</summary>
        <DataTable
          caption={title}
          captionHidden
          columns={[
            { key: "month", header: "Month", rowHeader: true },
            { key: "score", header: "Score", align: "right" },
          ]}
          rows={points}
          getRowKey={(p) => p.period}
          renderCell={(p, key) => (key === "month" ? monthLabel(p.period) : p.score === null ? "Not scored" : <span className="tabular">{p.score}</span>)}
        />
      </details>
    </div>
  );
}

/** The score, what it is made of and its trend: the partner page's card body (and the partner's own home). */
export function HealthSummary({ health, trend }: { health: HealthScore; trend: readonly TrendPoint[] }) {
  return (
    <div className="health-summary">
      <div className="health-summary__score">
        <p className="health-summary__total">
          {health.scored ? (
            <>
              <span className="health-summary__number tabular">{health.total}</span>
              <span className="muted"> / 100</span>
            </>
          ) : (
            <span className="muted">Not scored</span>
          )}
        </p>
        {health.scored ? <HealthBadge score={health.total} /> : <p className="muted small">{health.reason}</p>}
        <HealthTrend points={trend} />
      </div>
      <HealthComponents health={health} />
    </div>
  );
}
