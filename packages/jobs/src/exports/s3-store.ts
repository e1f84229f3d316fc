/**
 * The export store in an S3-compatible bucket (EXPORTS_S3_*): AWS S3, MinIO, Ceph, R2, … A file is written with a
 * multipart upload from the stream (@aws-sdk/lib-storage: parts of 8 MB, two in flight, so memory stays bounded
 * whatever the export's size); the object exists only once the upload completes, and a failed upload is aborted.
 * Reads ask for the byte range they serve. Checksums are sent and checked only where S3 requires them: several
 * S3-compatible servers refuse the SDK's default streaming checksums.
 */
import { PassThrough, type Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { type ExportStore, exportKeyPattern } from "./store";

export interface S3StoreOptions {
  bucket: string;
  /** Region (e.g. `eu-west-1`; MinIO accepts any). */
  region: string;
  /** A non-AWS server's URL (`https://minio.internal:9000`); addressed path-style. Absent: AWS S3. */
  endpoint?: string | undefined;
  /** Absent: the SDK's default chain (environment, web identity, instance role). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
}

const notFound = (err: unknown) => err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === "NotFound" || err.name === "NoSuchKey");

export function s3Store(o: S3StoreOptions): ExportStore {
  const client = new S3Client({
    region: o.region,
    ...(o.endpoint ? { endpoint: o.endpoint, forcePathStyle: true } : {}),
    ...(o.accessKeyId && o.secretAccessKey ? { credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } } : {}),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const checked = (key: string) => {
    if (!exportKeyPattern.test(key)) throw new Error("not an export key");
    return key;
  };
  return {
    description: `S3 bucket ${o.bucket}${o.endpoint ? ` at ${new URL(o.endpoint).host}` : ""}`,
    async write(key, source) {
      const upload = new Upload({
        client,
        params: { Bucket: o.bucket, Key: checked(key), Body: source, ContentType: "application/gzip" },
        partSize: 8 * 1024 * 1024,
        queueSize: 2,
      });
      await upload.done();
    },
    async open(key) {
      const Key = checked(key);
      let size: number;
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: o.bucket, Key }));
        size = head.ContentLength ?? 0;
      } catch (err) {
        if (notFound(err)) return null;
        throw err;
      }
      return {
        size,
        read(range) {
          const out = new PassThrough();
          client
            .send(new GetObjectCommand({ Bucket: o.bucket, Key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }))
            .then((got) => {
              const body = got.Body as Readable;
              body.on("error", (err) => out.destroy(err));
              body.pipe(out);
            })
            .catch((err: Error) => out.destroy(err));
          return out;
        },
      };
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: checked(key) }));
    },
  };
}
