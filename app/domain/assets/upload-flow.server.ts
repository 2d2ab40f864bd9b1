import type { AppContext } from "~/lib/context.server";
import type { Actor } from "~/lib/audit.server";
import { formFailure, parseForm, type FormFailure, type FormOutcome } from "~/lib/forms.server";
import { DomainError } from "../errors";
import { addAssetVersion, createAsset } from "./authoring.server";
import { newIds, receiveUpload, type NewVersionContent, type ReceivedUpload } from "./intake.server";
import { originalKey } from "./storage-keys";
import type { FileAssetKind } from "./catalog";
import { AssetDetailsSchema, NewAssetSchema, VersionNoteSchema } from "./schemas.server";

/** Answered to the page by outcomeForPage, or as JSON by the upload endpoint's outcomeForEndpoint (app/lib/forms.server.ts). */
export type UploadOutcome = FormOutcome;

/**
 * A refused upload as the form's answer: its message on its field, what was
 * typed kept, its kind (the route picks the status). Anything but a
 * DomainError is rethrown, and so is a 403, which must reach the route's
 * mapper to be logged.
 */
export function uploadFailure(error: unknown, fields: FormData | null): UploadOutcome {
  if (!(error instanceof DomainError)) throw error;
  const { kind } = error;
  if (kind === "forbidden") throw error;
  return { ok: false, kind, failure: formFailure(fields ?? new FormData(), error.message, error.field) };
}

function contentOf(received: ReceivedUpload): NewVersionContent | null {
  if (received.file) return { kind: "file", file: received.file };
  const body = received.fields.get("body");
  return typeof body === "string" ? { kind: "body", body } : null;
}

/**
 * A new asset from a multipart form: the file is streamed to storage while
 * the form is read, then checked; the rows are written only for a file that
 * passed. Any refusal leaves no row and no object.
 */
export async function uploadNewAsset(ctx: AppContext, actor: Actor & { id: string }, request: Request): Promise<UploadOutcome> {
  const ids = newIds();
  let received: ReceivedUpload | null = null;
  try {
    received = await receiveUpload(ctx, request, originalKey(ids.assetId, ids.versionId));
    const kind = parseForm(received.fields, NewAssetSchema);
    const details = parseForm(received.fields, AssetDetailsSchema);
    if (!kind.ok || !details.ok) {
      if (received.file) await ctx.storage.delete(received.file.key);
      const failure = !details.ok ? details.failure : (kind as { failure: FormFailure }).failure;
      if (!kind.ok) failure.errors = { ...failure.errors, ...kind.failure.errors };
      return { ok: false, kind: "invalid", failure };
    }
    if (kind.data.kind === "guideline" && received.file) {
      await ctx.storage.delete(received.file.key);
      received.file = null;
    }
    const { id } = await createAsset(ctx, actor, ids, { ...details.data, kind: kind.data.kind }, contentOf(received));
    return {
      ok: true,
      location: `/admin/assets/${id}`,
      toast: { kind: "success", message: "Uploaded and checked. Partners of the chosen tiers can download it now." },
    };
  } catch (error) {
    return uploadFailure(error, received?.fields ?? null);
  }
}

/**
 * A new version of an existing asset, with its optional note of what
 * changed, and the same guarantees; a file identical to the current version
 * is refused (409).
 */
export async function uploadNewVersion(
  ctx: AppContext,
  actor: Actor & { id: string },
  request: Request,
  asset: { id: string; kind: string },
): Promise<UploadOutcome> {
  const { versionId } = newIds();
  let received: ReceivedUpload | null = null;
  try {
    received = await receiveUpload(ctx, request, originalKey(asset.id, versionId), asset.kind === "guideline" ? undefined : (asset.kind as FileAssetKind));
    const note = parseForm(received.fields, VersionNoteSchema);
    if (!note.ok) {
      if (received.file) await ctx.storage.delete(received.file.key);
      return { ok: false, kind: "invalid", failure: note.failure };
    }
    await addAssetVersion(ctx, actor, asset.id, versionId, contentOf(received), note.data.note);
    return {
      ok: true,
      location: `/admin/assets/${asset.id}`,
      toast: { kind: "success", message: "New version uploaded. Partners get it from now on; earlier versions stay in the history." },
    };
  } catch (error) {
    return uploadFailure(error, received?.fields ?? null);
  }
}
