import { useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent } from "react";
import { CommentForm, CommentList, type CommentTarget, type ReviewComment } from "./creative-comments";
import { useHydrated } from "./use-hydrated";
import { Button, CheckboxField } from "./ui";

export type { ReviewComment } from "./creative-comments";

/** A file of the version shown, as the loaders list them (CreativeFileRow). */
export type ViewerFile = {
  id: string;
  kind: "image" | "pdf" | "video";
  originalFilename: string;
  width: number | null;
  height: number | null;
  pageCount: number | null;
  hasPreview: boolean;
};

export type CreativeViewerProps = {
  /** The version the files and comments are of. */
  version: number;
  files: ViewerFile[];
  /** Where the files are served: `${filesUrl}/${id}` the file, `?preview` its PNG, `/pages/${n}` a rendered PDF page. */
  filesUrl: string;
  comments: ReviewComment[];
  /** The comments action, for a reviewer who may comment; null shows pins and comments read-only (the partner, analysts, older versions). */
  commentAction: string | null;
  commentsTitle: string;
  /** The comments region's name when the title alone repeats on the page (one viewer per version); the title by default. */
  commentsLabel?: string;
  emptyCommentsText: string;
};

const MIN_ZOOM = 1;
const MAX_ZOOM = 8;
const ZOOM_STEP = 1.25;
/** Pixels an arrow key moves a zoomed image. */
const PAN_STEP = 60;
/** A press that moves less than this is a click (a pin), more is a drag (panning). */
const DRAG_THRESHOLD = 4;

const clampZoom = (zoom: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
const pagesOf = (file: ViewerFile) => (file.kind === "pdf" ? Math.max(1, file.pageCount ?? 1) : 1);

/**
 * The files of one version as a reviewer reads them, with the numbered pins
 * of its comments and the list beside them. Images (their re-encoded
 * preview) and PDF pages (rendered on the server) zoom with the buttons,
 * ctrl + wheel or + − 0, and pan by dragging or with the arrow keys; pins are
 * placed in percentages inside the zoomed frame, so they stay on their point.
 * A reviewer clicks a point to pin a comment there, or comments on the page
 * from a button (the keyboard's way). Without JavaScript the page shows the
 * file or page chosen in the address, links to the others and the pages,
 * and the page-level form.
 */
export function CreativeViewer({
  version,
  files,
  filesUrl,
  comments,
  commentAction,
  commentsTitle,
  commentsLabel = commentsTitle,
  emptyCommentsText,
}: CreativeViewerProps) {
  const [searchParams] = useSearchParams();
  const hydrated = useHydrated();
  const ids = useId();
  const requested = files.findIndex((f) => f.id === searchParams.get("file"));
  const [fileIndex, setFileIndex] = useState(requested >= 0 ? requested : 0);
  const file = files[fileIndex] ?? files[0];
  const requestedPage = requested >= 0 ? Number(searchParams.get("page")) : 1;
  const [page, setPage] = useState(Number.isInteger(requestedPage) && requestedPage >= 1 ? requestedPage : 1);
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const [showResolved, setShowResolved] = useState(true);
  const [draft, setDraft] = useState<{ x: number; y: number } | null>(null);
  const [pageFormOpen, setPageFormOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const stage = useRef<HTMLDivElement>(null);
  const drag = useRef<{ startX: number; startY: number; panX: number; panY: number; moved: boolean } | null>(null);

  const pageCount = file ? pagesOf(file) : 1;
  const shownPage = Math.min(page, pageCount);

  const fit = useCallback(() => {
    setZoom(1);
    setPan({ x: 0, y: 0 });
  }, []);
  const zoomBy = useCallback((factor: number) => {
    setZoom((z) => {
      const next = clampZoom(z * factor);
      if (next === 1) setPan({ x: 0, y: 0 });
      return next;
    });
  }, []);

  // The stage exists for an image with a preview and for a PDF page; a video (or no preview) has none.
  const hasStage = file !== undefined && (file.kind === "pdf" || (file.kind === "image" && file.hasPreview));
  // ctrl + wheel zooms the image, not the page: the listener must be active (React's wheel handlers are passive).
  useEffect(() => {
    const element = stage.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey) return;
      event.preventDefault();
      zoomBy(event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP);
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [zoomBy, hasStage]);

  const show = useCallback(
    (index: number, nextPage = 1) => {
      setFileIndex(index);
      setPage(nextPage);
      setDraft(null);
      setPageFormOpen(false);
      fit();
    },
    [fit],
  );

  if (!file) return <p className="muted">No files in this version.</p>;

  const hrefFor = (target: ViewerFile, targetPage = 1) => {
    const params = new URLSearchParams(searchParams);
    params.set("file", target.id);
    if (target.kind === "pdf") params.set("page", String(targetPage));
    else params.delete("page");
    return `?${params.toString()}`;
  };
  const pageUrl = (target: ViewerFile, n: number) => `${filesUrl}/${target.id}/pages/${n}`;
  const imageUrl = file.kind === "pdf" ? pageUrl(file, shownPage) : file.hasPreview ? `${filesUrl}/${file.id}?preview` : null;
  const pinnable = file.kind !== "video" && imageUrl !== null;
  const pins = comments.filter((c) => c.fileId === file.id && (c.page ?? 1) === shownPage && c.x !== null && c.y !== null && (showResolved || !c.resolvedAt));
  const resolvedCount = comments.filter((c) => c.resolvedAt && c.x !== null).length;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    const moves: Record<string, [number, number]> = { ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0], ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP] };
    if (event.key === "+" || event.key === "=") zoomBy(ZOOM_STEP);
    else if (event.key === "-") zoomBy(1 / ZOOM_STEP);
    else if (event.key === "0") fit();
    else if (moves[event.key] && zoom > 1) {
      const [dx, dy] = moves[event.key]!;
      setPan((p) => ({ x: p.x + dx, y: p.y + dy }));
    } else return;
    event.preventDefault();
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 || (event.target as HTMLElement).closest(".review-pin, .review-popover")) return;
    drag.current = { startX: event.clientX, startY: event.clientY, panX: pan.x, panY: pan.y, moved: false };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || zoom <= 1) return;
    const dx = event.clientX - d.startX;
    const dy = event.clientY - d.startY;
    if (!d.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
    if (!d.moved) event.currentTarget.setPointerCapture(event.pointerId);
    d.moved = true;
    setPan({ x: d.panX + dx, y: d.panY + dy });
  };
  const onPointerUp = () => {
    // The click that follows a drag still needs to know it was one; it clears this.
    if (drag.current && !drag.current.moved) drag.current = null;
  };
  const onImageClick = (event: MouseEvent<HTMLImageElement>) => {
    const dragged = drag.current?.moved;
    drag.current = null;
    if (dragged || !commentAction) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const x = (event.clientX - rect.left) / rect.width;
    const y = (event.clientY - rect.top) / rect.height;
    if (x < 0 || x > 1 || y < 0 || y > 1) return;
    setPageFormOpen(false);
    setDraft({ x: Math.round(x * 10_000) / 10_000, y: Math.round(y * 10_000) / 10_000 });
  };
  const saved = (message: string) => {
    setDraft(null);
    setPageFormOpen(false);
    setAnnouncement(message);
    stage.current?.focus();
  };
  const showComment = (comment: ReviewComment) => {
    const index = files.findIndex((f) => f.id === comment.fileId);
    if (index < 0) return;
    if (index !== fileIndex || (comment.page ?? 1) !== shownPage) show(index, comment.page ?? 1);
    if (comment.resolvedAt) setShowResolved(true);
    stage.current?.scrollIntoView({ block: "nearest" });
    stage.current?.focus();
  };
  const target = (point: { x: number; y: number } | null): CommentTarget => ({
    version,
    fileId: file.id,
    page: shownPage,
    x: point?.x ?? null,
    y: point?.y ?? null,
  });
  const where = file.kind === "pdf" ? `page ${shownPage} of ${file.originalFilename}` : file.originalFilename;

  return (
    <div className="review-viewer-host">
      <div className="review-viewer-layout">
        <div className="review-viewer">
          {files.length > 1 ? (
            <nav aria-label={`Files of version ${version}`}>
              <ul className="review-viewer__files">
                {files.map((f, i) => (
                  <li key={f.id}>
                    <a
                      href={hrefFor(f)}
                      aria-current={i === fileIndex ? "true" : undefined}
                      onClick={(event) => {
                        event.preventDefault();
                        show(i);
                      }}
                    >
                      {f.originalFilename}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}

          {file.kind === "video" ? (
            // A partner's creative comes without a caption file: the reviewer judges the video as it was submitted.
            // eslint-disable-next-line jsx-a11y/media-has-caption
            <video className="review-viewer__video" controls preload="metadata" src={`${filesUrl}/${file.id}`}>
              <a href={`${filesUrl}/${file.id}`}>Download {file.originalFilename}</a>
            </video>
          ) : imageUrl ? (
            <>
              <div className="review-viewer__toolbar" role="group" aria-label="Zoom">
                <Button size="sm" variant="secondary" onClick={() => zoomBy(ZOOM_STEP)} disabled={!hydrated || zoom >= MAX_ZOOM}>
                  + <span className="visually-hidden">Zoom in</span>
                </Button>
                <Button size="sm" variant="secondary" onClick={() => zoomBy(1 / ZOOM_STEP)} disabled={!hydrated || zoom <= MIN_ZOOM}>
                  − <span className="visually-hidden">Zoom out</span>
                </Button>
                <Button size="sm" variant="secondary" onClick={fit} disabled={!hydrated || zoom === 1}>
                  Fit
                </Button>
                <span className="muted small" aria-live="polite">
                  {Math.round(zoom * 100)}%
                </span>
                {resolvedCount ? (
                  <CheckboxField
                    label="Show resolved pins"
                    name={`${ids}-resolved`}
                    className="review-viewer__toggle"
                    inputProps={{ checked: showResolved, onChange: (event) => setShowResolved(event.currentTarget.checked), disabled: !hydrated }}
                  />
                ) : null}
              </div>
              {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- a widget with its own keys, named in its label */}
              <div
                ref={stage}
                className={zoom > 1 ? "review-viewer__stage review-viewer__stage--zoomed" : "review-viewer__stage"}
                // Its keys (zoom, fit, pan) are said in its name; every action also has a button.
                // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
                tabIndex={0}
                role="application"
                aria-roledescription="image viewer"
                aria-label={`${where}. Plus and minus zoom, 0 fits, arrow keys move the zoomed image.${commentAction ? " Click a point to pin a comment there." : ""}`}
                onKeyDown={onKeyDown}
                onPointerDown={onPointerDown}
                onPointerMove={onPointerMove}
                onPointerUp={onPointerUp}
              >
                <div className="review-viewer__canvas" style={{ transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})`, ["--zoom" as string]: zoom }}>
                  <div className="review-viewer__frame">
                    {/* Pinning is the pointer's way to comment; the keyboard's is the page-level comment button below. */}
                    {/* eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions */}
                    <img
                      key={imageUrl}
                      src={imageUrl}
                      alt={file.kind === "pdf" ? `Page ${shownPage} of ${file.originalFilename}` : `Preview of ${file.originalFilename}`}
                      draggable={false}
                      onClick={onImageClick}
                      className={commentAction ? "review-viewer__image review-viewer__image--pinnable" : "review-viewer__image"}
                    />
                    {pins.map((pin) => (
                      <a
                        key={pin.id}
                        href={`#comment-${pin.number}`}
                        className={pin.resolvedAt ? "review-pin review-pin--resolved" : "review-pin"}
                        style={{ left: `${pin.x! * 100}%`, top: `${pin.y! * 100}%` }}
                        title={pin.body}
                      >
                        <span className="visually-hidden">Comment </span>
                        {pin.number}
                        {pin.resolvedAt ? <span className="visually-hidden"> (resolved)</span> : null}
                      </a>
                    ))}
                    {draft && commentAction && pinnable ? (
                      <>
                        <span className="review-pin review-pin--draft" style={{ left: `${draft.x * 100}%`, top: `${draft.y * 100}%` }} aria-hidden="true">
                          +
                        </span>
                        <div
                          className="review-popover"
                          data-flip-x={draft.x > 0.55 || undefined}
                          data-flip-y={draft.y > 0.6 || undefined}
                          style={{ left: `${draft.x * 100}%`, top: `${draft.y * 100}%` }}
                        >
                          <CommentForm
                            key={`${draft.x},${draft.y}`}
                            actionUrl={commentAction}
                            target={target(draft)}
                            title="Comment at this point"
                            onSaved={saved}
                            onCancel={() => setDraft(null)}
                            focusOnOpen
                          />
                        </div>
                      </>
                    ) : null}
                  </div>
                </div>
              </div>
            </>
          ) : (
            <p className="muted">No preview of {file.originalFilename}: download it to look at it.</p>
          )}

          {file.kind === "pdf" ? (
            <PageControls
              file={file}
              page={shownPage}
              pageCount={pageCount}
              hrefFor={hrefFor}
              pageUrl={pageUrl}
              onPage={(n) => show(fileIndex, n)}
              inputId={`${ids}-page`}
              hydrated={hydrated}
            />
          ) : null}

          <p className="small">
            <a href={`${filesUrl}/${file.id}`} download>
              Download {file.originalFilename}
            </a>
          </p>

          {commentAction ? (
            pageFormOpen || !hydrated ? (
              <CommentForm
                actionUrl={commentAction}
                target={target(null)}
                title={file.kind === "pdf" ? `Comment on page ${shownPage}` : `Comment on ${file.originalFilename}`}
                onSaved={saved}
                onCancel={() => setPageFormOpen(false)}
                focusOnOpen={hydrated}
              />
            ) : (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  setDraft(null);
                  setPageFormOpen(true);
                }}
              >
                {file.kind === "pdf" ? "Add comment on this page" : "Add comment on this file"}
              </Button>
            )
          ) : null}
          <p className="visually-hidden" role="status">
            {announcement}
          </p>
        </div>

        <section className="review-viewer__comments" aria-label={commentsLabel}>
          <h3 className="subsection-title">{commentsTitle}</h3>
          <CommentList
            comments={comments}
            files={files}
            actionUrl={commentAction}
            emptyText={emptyCommentsText}
            showHref={(comment) => {
              const commented = files.find((f) => f.id === comment.fileId);
              return commented ? hrefFor(commented, comment.page ?? 1) : null;
            }}
            onShow={showComment}
          />
        </section>
      </div>
    </div>
  );
}

/** Previous / next, jump to a page, and the pages as lazily loaded thumbnails; plain links and a GET form without JavaScript. */
function PageControls({
  file,
  page,
  pageCount,
  hrefFor,
  pageUrl,
  onPage,
  inputId,
  hydrated,
}: {
  file: ViewerFile;
  page: number;
  pageCount: number;
  hrefFor: (file: ViewerFile, page: number) => string;
  pageUrl: (file: ViewerFile, page: number) => string;
  onPage: (page: number) => void;
  inputId: string;
  hydrated: boolean;
}) {
  const go = (n: number) => (event: MouseEvent) => {
    event.preventDefault();
    onPage(n);
  };
  return (
    <div className="review-pages">
      <div className="review-pages__nav">
        {page > 1 ? (
          <a href={hrefFor(file, page - 1)} onClick={go(page - 1)} className="btn btn--secondary btn--sm">
            Previous page
          </a>
        ) : null}
        <span className="small">
          Page {page} of {pageCount}
        </span>
        {page < pageCount ? (
          <a href={hrefFor(file, page + 1)} onClick={go(page + 1)} className="btn btn--secondary btn--sm">
            Next page
          </a>
        ) : null}
        <form
          method="get"
          className="review-pages__jump"
          onSubmit={(event) => {
            if (!hydrated) return;
            event.preventDefault();
            const n = Number(new FormData(event.currentTarget).get("page"));
            if (Number.isInteger(n) && n >= 1 && n <= pageCount) onPage(n);
          }}
        >
          <input type="hidden" name="file" value={file.id} />
          <label htmlFor={inputId} className="small">
            Go to page
          </label>
          <input
            id={inputId}
            name="page"
            type="number"
            inputMode="numeric"
            min={1}
            max={pageCount}
            // A new page shown: the field says it (keyed, so what was typed before goes).
            key={page}
            defaultValue={page}
            className="field__control review-pages__input"
          />
          <Button type="submit" size="sm" variant="secondary">
            Go
          </Button>
        </form>
      </div>
      <ol className="review-pages__thumbs" aria-label={`Pages of ${file.originalFilename}`}>
        {Array.from({ length: pageCount }, (_, i) => i + 1).map((n) => (
          <li key={n}>
            <a href={hrefFor(file, n)} onClick={go(n)} aria-current={n === page ? "page" : undefined}>
              <img src={pageUrl(file, n)} alt="" loading="lazy" />
              <span className="small">Page {n}</span>
            </a>
          </li>
        ))}
      </ol>
    </div>
  );
}
