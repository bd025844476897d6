/**
 * Where the photo files live: a local folder (the default) or an S3-compatible bucket. The upload service
 * keeps the rows (sha256, mime, size, stored name) in the database and the bytes here, under the stored
 * name it chose (`<32 hex>.<ext>`). Photos are small (at most MAX_UPLOAD_BYTES, 5 MiB by default), so whole
 * buffers are passed both ways; no streams.
 */
export interface PhotoStore {
  readonly kind: 'folder' | 's3'
  /** Stores the bytes under `name`, replacing what was there; once it resolves, `get(name)` answers them. */
  put(name: string, bytes: Buffer, mime: string): Promise<void>
  /** The bytes stored under `name`, or null when there are none. */
  get(name: string): Promise<Buffer | null>
  /** Whether something is stored under `name`. */
  exists(name: string): Promise<boolean>
  /** Removes what is stored under `name`; nothing stored is not an error. */
  delete(name: string): Promise<void>
  /**
   * Rejects when the store cannot be used now (readiness, server/src/readiness.ts): the folder missing, not a
   * folder or not writable; the bucket missing, refused or unreachable. Writes nothing.
   */
  check(): Promise<void>
  /** One line for the start-up banner: where the photos go. Never contains a secret. */
  describe(): string
  /** Lets go of what the store holds open (the S3 client's connections); call once, when the server closes. */
  close(): void
}

/** A plain file name: letters, digits, `.`, `_`, `-`; not starting with a dot (so never `.` or `..`); at most 200 characters. */
const PLAIN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/

/** Thrown (as a rejected promise) by every store operation given a name that is not a plain file name. */
export class PhotoNameError extends Error {
  constructor(name: string) {
    // the name is shown JSON-quoted and cut short: it may hold control characters
    super(`Not a plain photo file name: ${JSON.stringify(name.slice(0, 80))}`)
    this.name = 'PhotoNameError'
  }
}

export function isPlainPhotoName(name: unknown): name is string {
  return typeof name === 'string' && PLAIN_NAME.test(name)
}

/** Throws PhotoNameError unless `name` is a plain file name (no path separator, no `..`, no leading dot). */
export function checkPhotoName(name: string): string {
  if (!isPlainPhotoName(name)) throw new PhotoNameError(String(name))
  return name
}
