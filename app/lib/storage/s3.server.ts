import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { Readable, pipeline } from "node:stream";

import {
  assertValidKey,
  MeteredStream,
  ObjectNotFoundError,
  type ListedObject,
  type ObjectInfo,
  type PutOptions,
  type PutResult,
  type StorageDriver,
} from "./types";

export type S3StorageConfig = {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
};

// Parts are held in memory while they upload: PART_SIZE * QUEUE_SIZE bounds
// the memory of one put (~10 MiB), independent of the object's size.
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;
export class S3StorageDriver implements StorageDriver {
  readonly name = "s3" as const;
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(config: S3StorageConfig) {
    const { accessKeyId, secretAccessKey } = config;
    if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
      throw new Error("S3 storage needs both accessKeyId and secretAccessKey, or neither");
    }
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      // Path style works on every S3-compatible server (MinIO, R2, s3rver);
      // virtual-host style needs wildcard DNS.
      forcePathStyle: config.forcePathStyle ?? true,
      // Without credentials the SDK's default chain applies (env, IAM role).
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      // The default (WHEN_SUPPORTED) sends streamed bodies with aws-chunked
      // trailing checksums, which several S3-compatible servers store as-is,
      // corrupting the object without an error.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async put(key: string, body: NodeJS.ReadableStream | Readable, opts: PutOptions): Promise<PutResult> {
    assertValidKey(key);
    const meter = new MeteredStream(opts.maxBytes);
    // pipeline() forwards a source failure (client went away) into the meter,
    // so the upload fails instead of waiting for bytes that never come, and
    // destroys the source when the meter fails. Errors surface via the meter.
    pipeline(body, meter, () => {});

    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: meter, ContentType: opts.contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
    });
    try {
      await upload.done();
    } catch (err) {
      // lib-storage may report a follow-up failure (e.g. a failed abort) in
      // place of the cause; a failed meter holds the cause (limit or source).
      const cause: unknown = meter.errored ?? err;
      meter.destroy();
      await this.discardFailedUpload(key, upload.uploadId, meter.sha256 !== null);
      throw cause;
    }
    if (meter.sha256 === null) throw new Error("Upload finished before the source ended");
    return { key, size: meter.bytes, sha256: meter.sha256 };
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!(res.Body instanceof Readable)) throw new Error("S3 returned no readable body");
      return res.Body;
    } catch (err) {
      if (isObjectMissing(err)) throw new ObjectNotFoundError(`No object at ${key}`);
      throw err;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, size: res.ContentLength ?? 0, contentType: res.ContentType ?? null };
    } catch (err) {
      if (isObjectMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    // S3 answers 204 for a missing key, which makes this idempotent.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (object.Key) yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /**
   * Best effort: the caller already has the real error to report.
   * - A started multipart upload is aborted so its parts stop being stored
   *   (lib-storage tries too, but its abort can fail and is then not retried).
   * - Only if the whole body was read can PutObject/CompleteMultipartUpload
   *   have reached S3 before the failure surfaced; then the key is deleted.
   *   Before that no request that creates the object has been sent, so an
   *   earlier object at the same key is left alone, as the local driver does.
   */
  private async discardFailedUpload(
    key: string,
    uploadId: string | undefined,
    bodyComplete: boolean
  ): Promise<void> {
    const cleanups: Promise<unknown>[] = [];
    if (uploadId) {
      cleanups.push(
        this.client.send(
          new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId })
        )
      );
    }
    if (bodyComplete) {
      cleanups.push(this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
    }
    await Promise.allSettled(cleanups);
  }
}

function isObjectMissing(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  // A missing bucket is a configuration error and must stay loud.
  if (err.name === "NoSuchBucket") return false;
  return err.name === "NoSuchKey" || err.name === "NotFound" || err.$metadata.httpStatusCode === 404;
}
