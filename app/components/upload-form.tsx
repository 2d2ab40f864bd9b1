import { useNavigate } from "@remix-run/react";
import { useRef, useState, type ReactNode } from "react";

export type UploadFailure = { errors: Record<string, string[] | undefined>; formError: string | null; values: Record<string, string> };

/**
 * A multipart form that shows upload progress. With JavaScript it sends the
 * form to `uploadUrl` (a resource route answering JSON) and shows a progress
 * bar; without, it posts to the page's own action like any form. After a
 * success the form is emptied (with JavaScript) or comes back fresh (the
 * action's redirect).
 */
export function UploadForm({
  uploadUrl,
  serverFailure,
  children,
  className,
  label,
}: {
  uploadUrl: string;
  serverFailure: UploadFailure | null;
  children: (state: { failure: UploadFailure | null; uploading: boolean }) => ReactNode;
  className?: string;
  label: string;
}) {
  const navigate = useNavigate();
  const [progress, setProgress] = useState<number | null>(null);
  const [failure, setFailure] = useState<UploadFailure | null>(null);
  const request = useRef<XMLHttpRequest | null>(null);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    xhr.open("POST", uploadUrl);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      setProgress(null);
      const body = xhr.response as ({ ok: true; location: string } | ({ ok: false } & UploadFailure)) | null;
      if (body?.ok) {
        // The page may stay mounted (a new version lands on the same asset page):
        // empty the form so the file just sent cannot be sent again by mistake.
        form.reset();
        navigate(body.location);
      } else if (body) setFailure(body);
      else setFailure({ errors: {}, formError: xhr.status === 413 ? "The file is too large." : "The upload failed. Try again.", values: {} });
    };
    xhr.onerror = () => {
      setProgress(null);
      setFailure({ errors: {}, formError: "The upload was interrupted. Check your connection and try again.", values: {} });
    };
    setFailure(null);
    setProgress(0);
    xhr.send(new FormData(form));
  }

  const uploading = progress !== null;
  return (
    <form method="post" encType="multipart/form-data" className={className} onSubmit={submit} noValidate aria-label={label}>
      {children({ failure: failure ?? serverFailure, uploading })}
      {uploading ? (
        <div className="upload-progress">
          <progress max={1} value={progress} aria-label="Upload progress" />
          <span className="small tabular" aria-live="polite">
            {progress < 1 ? `Uploading… ${Math.round(progress * 100)}%` : "Checking the file…"}
          </span>
          <button type="button" className="btn btn--ghost btn--sm" onClick={() => request.current?.abort()}>
            Cancel
          </button>
        </div>
      ) : null}
    </form>
  );
}
