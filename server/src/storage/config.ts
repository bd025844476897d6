import { booleanSetting } from '../boolean-setting'
import { createFolderStore } from './folder'
import type { PhotoStore } from './port'
import { createS3Store, endpointForDisplay, type S3StoreOptions } from './s3'

type Env = Record<string, string | undefined>

/** The variables of the bucket store; with S3_BUCKET unset none may be set and photos stay in the folder. */
export const S3_VARIABLES = ['S3_BUCKET', 'S3_ENDPOINT', 'S3_REGION', 'S3_PREFIX', 'S3_FORCE_PATH_STYLE', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const

export const DEFAULT_S3_REGION = 'us-east-1'

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}

/** S3's bucket naming rules (3–63 characters: lower-case letters, digits, dots, hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/
const REGION = /^[A-Za-z0-9-]{1,40}$/
const PREFIX = /^[A-Za-z0-9._\-/]{1,200}$/
/** Printable ASCII without spaces: what access keys and secrets are made of. */
const KEY_TEXT = /^[\x21-\x7e]{1,512}$/

/** `photos/`, `posm/2025`: parts of allowed characters, one `/` between them, none `.` or `..`, no leading `/`. */
function isKeyPrefix(prefix: string): boolean {
  const parts = prefix.split('/')
  if (parts[parts.length - 1] === '') parts.pop()
  return PREFIX.test(prefix) && parts.every((part) => part !== '' && part !== '.' && part !== '..')
}

/**
 * The bucket store's settings from S3_* variables, or null when S3_BUCKET is unset (photos in the folder).
 * Throws an Error naming the variable on a malformed or missing value; a message never holds the access key
 * or the secret (values of other variables are quoted, with the secret cut out should it appear in one).
 */
export function s3OptionsFromEnv(env: Env): S3StoreOptions | null {
  const value = (name: (typeof S3_VARIABLES)[number]) => nonEmpty(env[name])
  const secret = value('S3_SECRET_ACCESS_KEY')
  const keyId = value('S3_ACCESS_KEY_ID')
  const shown = (text: string) => {
    let out = text
    for (const hidden of [secret, keyId]) if (hidden && hidden.length >= 4) out = out.split(hidden).join('[redacted]')
    return JSON.stringify(out.length > 120 ? `${out.slice(0, 120)}…` : out)
  }

  const bucket = value('S3_BUCKET')
  if (bucket === undefined) {
    const stray = S3_VARIABLES.filter((name) => name !== 'S3_BUCKET' && value(name) !== undefined)
    if (stray.length) {
      throw new Error(
        `${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but S3_BUCKET is not: set S3_BUCKET to keep photos in a bucket, or unset ${stray.length === 1 ? 'it' : 'them'} to keep photos in the upload folder.`,
      )
    }
    return null
  }
  if (!BUCKET.test(bucket)) {
    throw new Error(`S3_BUCKET must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens (got ${shown(bucket)})`)
  }

  const endpointText = value('S3_ENDPOINT')
  let endpoint: string | undefined
  if (endpointText !== undefined) {
    let url: URL
    try {
      url = new URL(endpointText)
    } catch {
      // not quoted: a value that is not even a URL may be anything, a pasted key included
      throw new Error('S3_ENDPOINT must be an address such as https://s3.example.com or http://127.0.0.1:9000 (the value given is not a URL)')
    }
    if (url.username || url.password) {
      throw new Error('S3_ENDPOINT must not contain a user name or password: give the keys in S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY')
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`S3_ENDPOINT must start with https:// or http:// (got ${shown(endpointForDisplay(endpointText))})`)
    }
    if (url.search || url.hash) {
      throw new Error(`S3_ENDPOINT must be the service's address alone, without ?query or #fragment (got ${shown(endpointForDisplay(endpointText))})`)
    }
    endpoint = endpointText
  }

  const region = value('S3_REGION') ?? DEFAULT_S3_REGION
  if (!REGION.test(region)) throw new Error(`S3_REGION must be a region name such as ${DEFAULT_S3_REGION} (got ${shown(region)})`)

  const prefix = value('S3_PREFIX')
  if (prefix !== undefined && !isKeyPrefix(prefix)) {
    throw new Error(`S3_PREFIX must be a key prefix such as photos/ (letters, digits, . _ - and single / between parts; got ${shown(prefix)})`)
  }

  // unset: a service of one's own (MinIO and the like) is seldom reachable as bucket.host
  const forcePathStyle = booleanSetting('S3_FORCE_PATH_STYLE', value('S3_FORCE_PATH_STYLE'), endpoint !== undefined, shown)

  let credentials: S3StoreOptions['credentials']
  if (keyId !== undefined || secret !== undefined) {
    if (keyId === undefined)
      throw new Error('S3_SECRET_ACCESS_KEY is set but S3_ACCESS_KEY_ID is not: set both, or neither to use the AWS SDK default credentials')
    if (secret === undefined)
      throw new Error('S3_ACCESS_KEY_ID is set but S3_SECRET_ACCESS_KEY is not: set both, or neither to use the AWS SDK default credentials')
    if (!KEY_TEXT.test(keyId)) throw new Error('S3_ACCESS_KEY_ID must be printable characters without spaces (the value is not shown)')
    if (!KEY_TEXT.test(secret)) throw new Error('S3_SECRET_ACCESS_KEY must be printable characters without spaces (the value is not shown)')
    credentials = { accessKeyId: keyId, secretAccessKey: secret }
  }

  return {
    bucket,
    region,
    forcePathStyle,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(credentials ? { credentials } : {}),
  }
}

/** The photo store the environment asks for: a bucket when S3_BUCKET is set, else the folder `defaultDir`. */
export function photoStoreFromEnv(env: Env, defaultDir: string): PhotoStore {
  const options = s3OptionsFromEnv(env)
  return options ? createS3Store(options) : createFolderStore(defaultDir)
}
