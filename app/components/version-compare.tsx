import { Form, Link, useSubmit } from "@remix-run/react";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from "react";
import { diffStats, wordDiff, type DiffSegment } from "~/domain/review/word-diff";
import type { ShownFile } from "./creative-parts";
import { fileFacts } from "./creative-parts";
import { formatDateTime } from "./format";
import { useHydrated } from "./use-hydrated";
import { Badge, Button, Card, SelectField } from "./ui";

export type ComparedVersion = {
  number: number;
  copy: string;
  findings: unknown[];
  submittedAt: string | Date;
  submittedByName: string;
  files: ShownFile[];
};

export type ChangedFieldView = { field: string; label: string; before: string; after: string };

/** The words that changed, marked so a screen reader and a print-out both say what was removed and added (not by colour alone). */
export function DiffText({ segments, emptyText }: { segments: readonly DiffSegment[]; emptyText: string }) {
  if (!segments.length) return <p className="muted">{emptyText}</p>;
  return (
    <div className="word-diff">
      {segments.map((segment, i) =>
        segment.kind === "same" ? (
          <span key={i}>{segment.text}</span>
        ) : segment.kind === "delete" ? (
          <del key={i}>
            <span className="visually-hidden">[removed: </span>
            {segment.text}
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          <ins key={i}>
            <span className="visually-hidden">[added: </span>
            {segment.text}
            <span className="visually-hidden">]</span>
          </ins>
        ),
      )}
    </div>
  );
}

/** The version pickers: a GET form, so choosing versions works without JavaScript and the URL can be shared. */
export function VersionPicker({ numbers, older, newer }: { numbers: readonly number[]; older: number; newer: number }) {
  const options = numbers.map((n) => ({ value: String(n), label: `Version ${n}` }));
  return (
    <Form method="get" className="filter-bar version-compare__picker" aria-label="Versions to compare">
      <SelectField label="Older" name="a" options={options} defaultValue={String(older)} key={`a${older}`} />
      <SelectField label="Newer" name="b" options={options} defaultValue={String(newer)} key={`b${newer}`} />
      <Button type="submit" variant="secondary">
        Compare
      </Button>
    </Form>
  );
}

function versionLine(version: ComparedVersion) {
  const findings = version.findings.length;
  return `Submitted ${formatDateTime(new Date(version.submittedAt))} by ${version.submittedByName} · ${findings} pre-screen ${findings === 1 ? "finding" : "findings"}`;
}

/**
 * Two versions side by side (issue 14, §6): each pair of files (by position)
 * compared, the copy as a word diff and the details that changed. The older
 * version is always on the left.
 */
export function VersionCompare({
  filesUrl,
  older,
  newer,
  changes,
  page,
  query,
}: {
  filesUrl: string;
  older: ComparedVersion;
  newer: ComparedVersion;
  changes: readonly ChangedFieldView[];
  page: number;
  query: { a: number; b: number };
}) {
  const same = older.number === newer.number;
  const copyDiff = useMemo(() => wordDiff(older.copy, newer.copy), [older.copy, newer.copy]);
  const stats = diffStats(copyDiff);
  const pairs = Array.from({ length: Math.max(older.files.length, newer.files.length) }, (_, i) => ({ before: older.files[i], after: newer.files[i] }));
  return (
    <div className="stack stack--lg version-compare">
      <div className="version-compare__heads" aria-label="The two versions">
        {[older, newer].map((version, i) => (
          <div key={i} className="version-compare__head">
            <h2 className="subsection-title">
              Version {version.number} <Badge tone={i === 0 ? "neutral" : "info"}>{i === 0 ? "Older" : "Newer"}</Badge>
            </h2>
            <p className="muted small">{versionLine(version)}</p>
          </div>
        ))}
      </div>
      {same ? <p className="muted">Only one version is chosen: pick another to see what changed.</p> : null}
      <Card title="Files">
        {pairs.length ? (
          <div className="stack stack--lg">
            {pairs.map((pair, i) => (
              <FilePair
                key={i}
                index={i}
                before={pair.before}
                after={pair.after}
                filesUrl={filesUrl}
                page={page}
                query={query}
                labels={[older.number, newer.number]}
              />
            ))}
          </div>
        ) : (
          <p className="muted">Neither version has files.</p>
        )}
      </Card>
      <Card
        title="Copy"
        description={
          same ? undefined : stats.inserted || stats.deleted ? `${stats.deleted} words removed, ${stats.inserted} added.` : "The copy did not change."
        }
      >
        <DiffText segments={copyDiff} emptyText="Neither version has copy." />
        {stats.inserted || stats.deleted ? (
          <p className="muted small version-compare__legend">Removed words are struck through, added words underlined.</p>
        ) : null}
      </Card>
      <Card title="Details that changed">
        {changes.length ? (
          <dl className="detail-list version-compare__changes">
            {changes.map((change) => (
              <div key={change.field} className="version-compare__change">
                <dt>{change.label}</dt>
                <dd>
                  <DiffText segments={wordDiff(change.before, change.after)} emptyText="None" />
                </dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted">Title, channel, placement, destination, claims and disclosure are the same in both versions.</p>
        )}
      </Card>
    </div>
  );
}

function FilePair({
  index,
  before,
  after,
  filesUrl,
  page,
  query,
  labels,
}: {
  index: number;
  before: ShownFile | undefined;
  after: ShownFile | undefined;
  filesUrl: string;
  page: number;
  query: { a: number; b: number };
  labels: [number, number];
}) {
  const kinds = new Set([before?.kind, after?.kind].filter(Boolean));
  const heading = (
    <h3 className="subsection-title">
      File {index + 1}
      {before && after && before.originalFilename !== after.originalFilename
        ? `: ${before.originalFilename} → ${after.originalFilename}`
        : `: ${(after ?? before)!.originalFilename}`}
    </h3>
  );
  if (before && after && kinds.size === 1 && before.kind === "image") {
    return (
      <section className="stack">
        {heading}
        <ImageCompare before={before} after={after} filesUrl={filesUrl} labels={labels} />
      </section>
    );
  }
  if (before && after && kinds.size === 1 && before.kind === "pdf") {
    return (
      <section className="stack">
        {heading}
        <PdfCompare before={before} after={after} filesUrl={filesUrl} page={page} query={query} labels={labels} />
      </section>
    );
  }
  return (
    <section className="stack">
      {heading}
      <div className="version-compare__panes">
        <Pane label={`Version ${labels[0]}`} file={before}>
          {before ? <StaticFile file={before} filesUrl={filesUrl} /> : null}
        </Pane>
        <Pane label={`Version ${labels[1]}`} file={after}>
          {after ? <StaticFile file={after} filesUrl={filesUrl} /> : null}
        </Pane>
      </div>
    </section>
  );
}

function Pane({ label, file, children }: { label: string; file: ShownFile | undefined; children: ReactNode }) {
  return (
    <figure className="version-compare__pane">
      {file ? children : <p className="muted version-compare__missing">No file here in this version.</p>}
      <figcaption className="small">
        <strong>{label}</strong>
        {file ? <span className="muted"> · {fileFacts(file)}</span> : null}
      </figcaption>
    </figure>
  );
}

function StaticFile({ file, filesUrl }: { file: ShownFile; filesUrl: string }) {
  const src = `${filesUrl}/${file.id}`;
  if (file.kind === "image") return <img src={src} alt={file.originalFilename} loading="lazy" className="version-compare__img" />;
  // Videos and PDFs without a counterpart are opened from their download: the review page has the player.
  return (
    <p>
      <a href={src} download>
        {file.originalFilename}
      </a>
      {file.kind === "video" ? <span className="muted small"> (download it to watch)</span> : null}
    </p>
  );
}

type Mode = "side" | "overlay" | "difference";
type View = { scale: number; x: number; y: number };
const MIN_SCALE = 1;
const MAX_SCALE = 8;
const PAN_STEP = 40;
const clampScale = (scale: number) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));

/**
 * Two images under one zoom and pan: whichever pane is dragged, scrolled or
 * moved with the keys, both follow. "Overlay" lays the newer over the older
 * with an opacity slider; "difference" blends them so only what changed
 * stays bright. Without JavaScript the two images stand side by side.
 */
function ImageCompare({ before, after, filesUrl, labels }: { before: ShownFile; after: ShownFile; filesUrl: string; labels: [number, number] }) {
  const hydrated = useHydrated();
  const [mode, setMode] = useState<Mode>("side");
  const [view, setView] = useState<View>({ scale: 1, x: 0, y: 0 });
  const [opacity, setOpacity] = useState(50);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const id = useId();
  const zoomBy = (factor: number) => setView((v) => ({ ...v, scale: clampScale(v.scale * factor) }));

  // The wheel zooms; React's wheel listener is passive, so the page would scroll as well.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      setView((v) => ({ ...v, scale: clampScale(v.scale * (event.deltaY < 0 ? 1.15 : 1 / 1.15)) }));
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [hydrated]);

  const transform = { transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` };
  const paneHandlers = {
    onPointerDown: (event: PointerEvent<HTMLDivElement>) => {
      drag.current = { x: event.clientX - view.x, y: event.clientY - view.y };
      event.currentTarget.setPointerCapture(event.pointerId);
    },
    onPointerMove: (event: PointerEvent<HTMLDivElement>) => {
      const start = drag.current;
      if (start) setView((v) => ({ ...v, x: event.clientX - start.x, y: event.clientY - start.y }));
    },
    onPointerUp: () => {
      drag.current = null;
    },
    onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => {
      const moves: Record<string, [number, number]> = {
        ArrowLeft: [PAN_STEP, 0],
        ArrowRight: [-PAN_STEP, 0],
        ArrowUp: [0, PAN_STEP],
        ArrowDown: [0, -PAN_STEP],
      };
      const move = moves[event.key];
      if (move) setView((v) => ({ ...v, x: v.x + move[0], y: v.y + move[1] }));
      else if (event.key === "+" || event.key === "=") zoomBy(1.25);
      else if (event.key === "-") zoomBy(1 / 1.25);
      else if (event.key === "0") setView({ scale: 1, x: 0, y: 0 });
      else return;
      event.preventDefault();
    },
  };
  const src = (file: ShownFile) => `${filesUrl}/${file.id}`;
  const viewport = (children: ReactNode, label: string) =>
    hydrated ? (
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- the viewport pans with the arrow keys and zooms with + and −, so it takes focus.
      <div className="image-compare__viewport" tabIndex={0} role="group" aria-label={`${label}: arrow keys pan, + and − zoom, 0 resets`} {...paneHandlers}>
        {children}
      </div>
    ) : (
      <div className="image-compare__viewport">{children}</div>
    );

  return (
    <div className="image-compare" data-mode={mode} ref={container}>
      {hydrated ? (
        <div className="image-compare__toolbar">
          <fieldset className="image-compare__modes">
            <legend className="visually-hidden">Compare the images</legend>
            {(
              [
                ["side", "Side by side"],
                ["overlay", "Overlay"],
                ["difference", "Difference"],
              ] as const
            ).map(([value, label]) => (
              <label key={value} className="image-compare__mode">
                <input type="radio" name={`${id}-mode`} value={value} checked={mode === value} onChange={() => setMode(value)} />
                {label}
              </label>
            ))}
          </fieldset>
          <div className="image-compare__zoom" role="group" aria-label="Zoom both images">
            <Button size="sm" variant="secondary" onClick={() => zoomBy(1 / 1.25)} disabled={view.scale <= MIN_SCALE} aria-label="Zoom out">
              −
            </Button>
            <output className="tabular small" aria-live="polite">
              {Math.round(view.scale * 100)} %
            </output>
            <Button size="sm" variant="secondary" onClick={() => zoomBy(1.25)} disabled={view.scale >= MAX_SCALE} aria-label="Zoom in">
              +
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setView({ scale: 1, x: 0, y: 0 })}>
              Reset
            </Button>
          </div>
          {mode === "overlay" ? (
            <label className="image-compare__opacity small" htmlFor={`${id}-opacity`}>
              Version {labels[1]} opacity
              <input id={`${id}-opacity`} type="range" min={0} max={100} value={opacity} onChange={(event) => setOpacity(Number(event.target.value))} />
              <span className="tabular">{opacity} %</span>
            </label>
          ) : null}
        </div>
      ) : null}
      {mode === "side" ? (
        <div className="version-compare__panes">
          {[before, after].map((file, i) => (
            <figure key={file.id} className="version-compare__pane">
              {viewport(
                <img src={src(file)} alt={`Version ${labels[i]}: ${file.originalFilename}`} draggable={false} style={transform} />,
                `Version ${labels[i]}`,
              )}
              <figcaption className="small">
                <strong>Version {labels[i]}</strong> <span className="muted">· {fileFacts(file)}</span>
              </figcaption>
            </figure>
          ))}
        </div>
      ) : (
        <figure className="version-compare__pane image-compare__stacked">
          {viewport(
            <>
              <img src={src(before)} alt={`Version ${labels[0]}: ${before.originalFilename}`} draggable={false} style={transform} />
              <img
                src={src(after)}
                alt={`Version ${labels[1]}: ${after.originalFilename}, ${mode === "overlay" ? "laid over" : "blended as a difference with"} version ${labels[0]}`}
                draggable={false}
                className="image-compare__top"
                style={{ ...transform, opacity: mode === "overlay" ? opacity / 100 : 1 }}
              />
            </>,
            mode === "overlay" ? `Version ${labels[1]} over version ${labels[0]}` : `Difference of versions ${labels[0]} and ${labels[1]}`,
          )}
          <figcaption className="small muted">
            {mode === "overlay"
              ? `Version ${labels[1]} over version ${labels[0]}: move the slider to fade between them.`
              : "What is the same turns black; what changed stays bright."}
          </figcaption>
        </figure>
      )}
    </div>
  );
}

/**
 * A PDF of each version, one page at a time, the same page on both sides.
 * The page is part of the URL (a GET form and links), so it works without
 * JavaScript; page images load lazily from the rendered-pages route.
 */
function PdfCompare({
  before,
  after,
  filesUrl,
  page,
  query,
  labels,
}: {
  before: ShownFile;
  after: ShownFile;
  filesUrl: string;
  page: number;
  query: { a: number; b: number };
  labels: [number, number];
}) {
  const submit = useSubmit();
  const pages = Math.max(before.pageCount ?? 1, after.pageCount ?? 1);
  const shown = Math.min(page, pages);
  const hrefFor = (p: number) => `?${new URLSearchParams({ a: String(query.a), b: String(query.b), page: String(p) })}`;
  return (
    <div className="stack">
      <Form method="get" className="pdf-compare__pager" aria-label="Page of both PDFs">
        <input type="hidden" name="a" value={query.a} />
        <input type="hidden" name="b" value={query.b} />
        {shown > 1 ? <Link to={hrefFor(shown - 1)}>← Page {shown - 1}</Link> : null}
        <SelectField
          label="Page"
          name="page"
          key={shown}
          options={Array.from({ length: pages }, (_, i) => ({ value: String(i + 1), label: `Page ${i + 1} of ${pages}` }))}
          defaultValue={String(shown)}
          selectProps={{ onChange: (event) => submit(event.currentTarget.form, { preventScrollReset: true }) }}
        />
        <Button type="submit" variant="secondary" size="sm">
          Show
        </Button>
        {shown < pages ? <Link to={hrefFor(shown + 1)}>Page {shown + 1} →</Link> : null}
      </Form>
      <div className="version-compare__panes">
        {[before, after].map((file, i) => {
          const has = shown <= (file.pageCount ?? 1);
          return (
            <figure key={file.id} className="version-compare__pane">
              {has ? (
                <img
                  src={`${filesUrl}/${file.id}/pages/${shown}`}
                  alt={`Version ${labels[i]}, page ${shown} of ${file.originalFilename}`}
                  loading="lazy"
                  className="version-compare__img"
                />
              ) : (
                <p className="muted version-compare__missing">
                  Version {labels[i]} has no page {shown} ({file.pageCount ?? 1} {file.pageCount === 1 ? "page" : "pages"}).
                </p>
              )}
              <figcaption className="small">
                <strong>Version {labels[i]}</strong> <span className="muted">· {fileFacts(file)}</span>
              </figcaption>
            </figure>
          );
        })}
      </div>
    </div>
  );
}
