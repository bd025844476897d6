/**
 * Checked at start (STARTUP_CHECKS, on by default): before the server listens, what only the first sign-in or
 * the first upload would otherwise find out:
 * - DingTalk: an access token (gettoken) with DINGTALK_APP_KEY and DINGTALK_APP_SECRET, from DINGTALK_API_BASE;
 * - the photo bucket (S3_BUCKET): it exists and takes a write (a small object put, read back and deleted).
 * A failure is one message naming the call, the setting(s) involved and what the service answered (DingTalk's
 * errcode and errmsg, S3's error code and message), never the secret, the access token or the S3 keys.
 * STARTUP_CHECKS=off skips them (offline maintenance: DingTalk or the bucket unreachable on purpose).
 */
import { randomBytes } from 'node:crypto'
import { createDingTalkClient } from './dingtalk/client'
import { DingTalkError, type DingTalkSettings } from './dingtalk/port'
import type { PhotoStore } from './storage/port'
import { endpointForDisplay, normalizePrefix, type S3StoreOptions } from './storage/s3'

export const SKIP_HINT = 'STARTUP_CHECKS=off starts without these checks (offline maintenance only).'

/** A start-up check that failed: its message is the whole explanation, safe to print. */
export class StartupCheckError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StartupCheckError'
  }
}

export interface StartupCheckInput {
  dingtalk: DingTalkSettings | null
  /** The bucket's settings (S3_*), null when photos are in the folder (not checked here: the server creates it). */
  bucket: S3StoreOptions | null
  /** The store those settings make (main.ts's, used afterwards by the server). */
  photoStore?: PhotoStore
}

/** Runs the checks that apply; answers one line per check passed, throws StartupCheckError on the first failure. */
export async function runStartupChecks(input: StartupCheckInput): Promise<string[]> {
  const passed = await Promise.all([
    input.dingtalk ? checkDingTalk(input.dingtalk) : null,
    input.bucket && input.photoStore ? checkBucket(input.bucket, input.photoStore) : null,
  ])
  return passed.filter((line): line is string => line !== null)
}

/** The settings an operator looks at for a DingTalk failure of gettoken, by what DingTalk answered. */
function dingTalkSettingsFor(error: DingTalkError): string {
  switch (error.errcode) {
    case 40089:
    case 40001:
    case 40013:
      return "DINGTALK_APP_KEY and DINGTALK_APP_SECRET (the app's AppKey and AppSecret in the DingTalk developer console)"
    case 60020:
      return "the app's IP allow-list in the DingTalk developer console (this server's egress address is not on it)"
    case null:
      return error.kind === 'unavailable'
        ? 'DINGTALK_API_BASE (DingTalk not reachable from this server) and DINGTALK_TIMEOUT_MS'
        : 'DINGTALK_API_BASE (the address does not answer as DingTalk does)'
    default:
      return "DINGTALK_APP_KEY and DINGTALK_APP_SECRET, and the app's settings in the DingTalk developer console"
  }
}

async function checkDingTalk(settings: DingTalkSettings): Promise<string> {
  // a client of its own, without a log: the check's outcome is this function's answer
  const client = createDingTalkClient(settings)
  try {
    await client.checkAccessToken()
  } catch (error) {
    if (error instanceof DingTalkError) {
      // the client's message is "DingTalk <api>: errcode <n> <errmsg>" (or what went wrong), the secret cut out
      const answered = error.message.replace(/^DingTalk [^:]+:\s*/, '')
      throw new StartupCheckError(
        `Start-up check failed: DingTalk ${error.api} (the access token of DINGTALK_APP_KEY and DINGTALK_APP_SECRET, at ${settings.apiBase}) ${error.errcode === null ? `failed (${answered})` : `answered ${answered}`}. Check ${dingTalkSettingsFor(error)}. ${SKIP_HINT}`,
      )
    }
    throw new StartupCheckError(
      `Start-up check failed: DingTalk gettoken at ${settings.apiBase}: ${redact(String(error), [settings.appSecret])}. Check DINGTALK_API_BASE. ${SKIP_HINT}`,
    )
  }
  return `DingTalk: an access token for DINGTALK_APP_KEY and DINGTALK_APP_SECRET (gettoken at ${settings.apiBase})`
}

interface AwsError {
  name?: string
  Code?: string
  code?: string
  message?: string
  $metadata?: { httpStatusCode?: number }
}

/** The settings an operator looks at for a failure of the bucket, by the S3 error (or network error) seen. */
function bucketSettingsFor(code: string, status: number | undefined): string {
  if (code === 'NoSuchBucket') return 'S3_BUCKET (create the bucket, or name an existing one), S3_ENDPOINT and S3_REGION'
  if (
    ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'CredentialsProviderError', 'ExpiredToken', 'InvalidToken'].includes(code) ||
    status === 403
  ) {
    return "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or the AWS SDK's default credentials): they must be allowed to put, get and delete objects in the bucket"
  }
  if (['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException'].includes(code) || status === 301) {
    return 'S3_REGION (the bucket is in another region) and S3_ENDPOINT'
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'TimeoutError', 'RequestTimeout'].includes(code)) {
    return 'S3_ENDPOINT (the service is not reachable from this server)'
  }
  return 'S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_FORCE_PATH_STYLE and the credentials'
}

function redact(text: string, secrets: Array<string | undefined>): string {
  let out = text
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]')
  return out
}

async function checkBucket(options: S3StoreOptions, store: PhotoStore): Promise<string> {
  const where = `S3_BUCKET ${options.bucket}${options.endpoint ? ` at ${endpointForDisplay(options.endpoint)}` : ''}`
  // a name the photos never take (they are <32 hex>.<ext>), removed again at once
  const probe = `posm-startup-check-${randomBytes(8).toString('hex')}.txt`
  const bytes = Buffer.from(`POSM Workspace start-up check ${new Date().toISOString()}\n`)
  let step = 'PutObject'
  try {
    await store.put(probe, bytes, 'text/plain')
    step = 'GetObject'
    const back = await store.get(probe)
    if (!back || !back.equals(bytes)) {
      throw new StartupCheckError(
        `Start-up check failed: photo bucket: GetObject of the test object ${normalizePrefix(options.prefix)}${probe} in ${where} answered other bytes than were put. Check S3_ENDPOINT (an S3-compatible service) and S3_PREFIX. ${SKIP_HINT}`,
      )
    }
    step = 'DeleteObject'
    await store.delete(probe)
  } catch (error) {
    if (error instanceof StartupCheckError) throw error
    const e = (error ?? {}) as AwsError
    const code = e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'Error')
    const status = e.$metadata?.httpStatusCode
    const detail = redact(`${code}${status ? ` (HTTP ${status})` : ''}${e.message ? `: ${e.message.replace(/[.\s]+$/, '')}` : ''}`, [
      options.credentials?.secretAccessKey,
      options.credentials?.accessKeyId,
      options.credentials?.sessionToken,
    ])
    throw new StartupCheckError(
      `Start-up check failed: photo bucket: ${step} of a test object (${normalizePrefix(options.prefix)}${probe}) in ${where} answered ${detail}. Check ${bucketSettingsFor(code, status)}. ${SKIP_HINT}`,
    )
  }
  return `photo bucket: ${where} exists and takes a write (put, read back, deleted)`
}
