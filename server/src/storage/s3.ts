import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { checkPhotoName, type PhotoStore } from './port'

export interface S3StoreOptions {
  bucket: string
  /** An S3-compatible service's address (MinIO, R2, …); absent: AWS S3 itself. */
  endpoint?: string
  /** Default us-east-1. */
  region?: string
  /** Put before every name, e.g. `photos/`; a `/` is added when it does not end with one. */
  prefix?: string
  /** `endpoint/bucket/key` addresses instead of `bucket.endpoint/key` (most S3-compatible services want this). */
  forcePathStyle?: boolean
  /** Absent: the SDK's default chain (AWS_* variables, ~/.aws, container or instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  /** Per-request limits (defaults: 5 s to connect, 30 s for an answer); the SDK retries 3 times in all. */
  connectionTimeoutMs?: number
  requestTimeoutMs?: number
}

interface AwsError {
  name?: string
  Code?: string
  $metadata?: { httpStatusCode?: number }
}

const errorName = (error: unknown) => (error as AwsError | null)?.name ?? (error as AwsError | null)?.Code
const statusOf = (error: unknown) => (error as AwsError | null)?.$metadata?.httpStatusCode

/** `a/b` → `a/b/`; `` → ``; leading slashes dropped (an S3 key does not start with one). */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+/, '')
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`
}

/** Where an endpoint is, for messages: its origin and path, without any user name or password in it. */
export function endpointForDisplay(endpoint: string): string {
  try {
    const url = new URL(endpoint)
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`
  } catch {
    return '(an endpoint that is not a URL)'
  }
}

/** Photos as objects `<prefix><name>` in an S3 bucket (or an S3-compatible service's). */
export function createS3Store(options: S3StoreOptions): PhotoStore {
  const { bucket } = options
  const region = options.region ?? 'us-east-1'
  const prefix = normalizePrefix(options.prefix)
  const client = new S3Client({
    region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestHandler: { connectionTimeout: options.connectionTimeoutMs ?? 5_000, requestTimeout: options.requestTimeoutMs ?? 30_000 },
  })
  const keyOf = (name: string) => `${prefix}${checkPhotoName(name)}`

  return {
    kind: 's3',

    async put(name: string, bytes: Buffer, mime: string): Promise<void> {
      const Key = keyOf(name)
      await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: bytes, ContentLength: bytes.length, ContentType: mime }))
    },

    async get(name: string): Promise<Buffer | null> {
      const Key = keyOf(name)
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }))
        if (!object.Body) return Buffer.alloc(0)
        const bytes = await object.Body.transformToByteArray()
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      } catch (error) {
        // only a missing object: a missing bucket (NoSuchBucket) or refused access is a fault, not "no photo"
        if (errorName(error) === 'NoSuchKey') return null
        throw error
      }
    },

    async exists(name: string): Promise<boolean> {
      const Key = keyOf(name)
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key }))
        return true
      } catch (error) {
        // a HEAD answer has no body, so a 404 is all there is to tell (a missing bucket answers 404 as well)
        if (errorName(error) === 'NotFound' || errorName(error) === 'NoSuchKey' || statusOf(error) === 404) return false
        throw error
      }
    },

    async delete(name: string): Promise<void> {
      const Key = keyOf(name)
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }))
    },

    async check(): Promise<void> {
      // the bucket exists and these credentials may use it (404: no such bucket, 403: refused)
      await client.send(new HeadBucketCommand({ Bucket: bucket }))
    },

    describe: () =>
      [
        `S3 bucket ${bucket}`,
        prefix ? `prefix ${prefix}` : null,
        options.endpoint ? `at ${endpointForDisplay(options.endpoint)}` : null,
        `region ${region}`,
        options.forcePathStyle ? 'path-style' : null,
        options.credentials ? 'configured credentials' : "credentials from the AWS SDK's default chain",
      ]
        .filter(Boolean)
        .join(', '),

    close: () => client.destroy(),
  }
}
