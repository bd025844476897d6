import path from 'node:path'
import { booleanSetting } from './boolean-setting'
import { DINGTALK_API_BASE } from './dingtalk/client'
import type { DingTalkSettings } from './dingtalk/port'
import { paymentSettingsFromEnv, paymentStartProblem, type PaymentSettings } from './payments/config'
import { s3OptionsFromEnv } from './storage/config'
import type { S3StoreOptions } from './storage/s3'
import { parseTestAccountKey, TEST_ACCOUNT_KEY_HELP, TEST_ACCOUNT_KEY_VARIABLE } from './test-accounts/crypto'
import { DEFAULT_RATE_LIMITS, type RateLimits } from './routes/rate-limits'
import { parseTrustProxy, TRUST_PROXY_VARIABLE, type TrustedProxies } from './client-address'
import type { MarketingCodeFormat } from '../../packages/contract/rules/marketing-code'
import { marketingCodesFromEnv, marketingCodesStartProblem } from './marketing-codes'
import { evidenceSettingsFromEnv, type EvidenceSettings } from './evidence/config'
import type { PhotoQualityThresholds } from './photo-checks/analyze'
import { photoQualityFromEnv } from './photo-checks/config'

/** The repository root (server/src/config.ts → ../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..')

export interface ServerConfig {
  port: number
  host: string
  /** The SQLite file (DB_PATH), used when databaseUrl is absent. */
  dbPath: string
  /** PostgreSQL (DATABASE_URL, postgres://…): when set, the database instead of the SQLite file. Holds the password: never log it. */
  databaseUrl?: string
  /** PostgreSQL: the schema the tables live in (DATABASE_SCHEMA; absent: public). */
  databaseSchema?: string
  /** Development mode (WORKSPACE_DEV=1, or true/yes/on): dev sign-in, dev DingTalk codes, one console account per role. */
  dev: boolean
  /** Requests per minute on the staff API (RATE_LIMIT_*). */
  rateLimits: RateLimits
  staticDir: string
  sessionTtlMinutes: number
  demoStaffId: string
  /** Where photos are stored (created at start); outside any web root. Unused when photoBucket is set. */
  uploadDir: string
  /** An S3-compatible bucket for the photos (S3_BUCKET, S3_ENDPOINT, …); null: the upload folder. */
  photoBucket: S3StoreOptions | null
  /** Largest photo accepted, in bytes. */
  maxUploadBytes: number
  /** DingTalk's server API (DINGTALK_*); null when none of its variables is set. */
  dingtalk: DingTalkSettings | null
  /**
   * The key the Alipay test accounts' passwords are encrypted with (TEST_ACCOUNT_KEY, 32 bytes); absent: none set
   * (development mode then uses its public development key; production refuses to start). A secret: never log it.
   */
  testAccountKey?: Buffer
  /** The mini-app's miniAppId (DINGTALK_MINI_APP_ID) that the ISOs' association QR codes open; null: not set (production refuses to start). */
  miniAppId: string | null
  /** The console's public address (CONSOLE_PUBLIC_URL, e.g. https://workspace.example.com): work notifications to console accounts open it. */
  consoleUrl: string | null
  /** The Prometheus endpoint's own listener (METRICS_PORT, METRICS_HOST); null: no metrics endpoint (the default). */
  metrics: MetricsListen | null
  /** The load balancers whose X-Forwarded-For and X-Request-Id are believed (TRUST_PROXY); absent: none. */
  trustProxy?: TrustedProxies
  /** How much is logged (LOG_LEVEL); absent: info. */
  logLevel?: LogLevel
  /** Stopping (SIGTERM, SIGINT): how long in-flight requests may take before they are cut (SHUTDOWN_DEADLINE_SECONDS). */
  shutdownDeadlineSeconds: number
  /** Check DingTalk's access token and the photo store before listening (STARTUP_CHECKS; off for offline maintenance). */
  startupChecks: boolean
  /** Payment verification (PAYMENT_VERIFICATION, ALIPAYPLUS_*, PAYMENT_WINDOW_MINUTES): payments/config.ts. */
  payments: PaymentSettings
  /** Which QR payloads are Alipay+ Marketing Codes (MARKETING_CODE_URL_PATTERNS, MARKETING_CODE_PATTERN); null: not set (production refuses to start). */
  marketingCodes: MarketingCodeFormat | null
  /** The evidence checks' thresholds (PHOTO_REUSE_MAX_BITS, STOREFRONT_FAR_METERS, …): evidence/config.ts. */
  evidence: EvidenceSettings
  /** When a photo is too dark, overexposed or blurred (PHOTO_DARK_BELOW, PHOTO_OVEREXPOSED_PERCENT, PHOTO_BLURRED_BELOW). */
  photoQuality: PhotoQualityThresholds
}

/** Where the metrics endpoint (GET /metrics) listens: a port of its own, never the public one. */
export interface MetricsListen {
  port: number
  host: string
}

/** LOG_LEVEL's values: Fastify's (pino's) levels, most to least. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** The miniAppId of development mode's QR codes (no DingTalk app has it). */
export const DEV_MINI_APP_ID = '5000000000000000'

/** The variables of the DingTalk internal app, all required once one is set. */
export const DINGTALK_VARIABLES = ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_AGENT_ID', 'DINGTALK_CORP_ID'] as const

/** SHUTDOWN_DEADLINE_SECONDS's default: under the 30 s most supervisors (systemd, Kubernetes) wait before SIGKILL. */
export const DEFAULT_SHUTDOWN_DEADLINE_SECONDS = 25

/** DINGTALK_CALLS_PER_SECOND's default: calls started per second and API in each process, under DingTalk's 20. */
export const DEFAULT_DINGTALK_CALLS_PER_SECOND = 15

/** 5 MiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024

type Env = Record<string, string | undefined>

/** Reads the server configuration from environment variables; throws on a malformed value. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const dev = booleanSetting('WORKSPACE_DEV', env.WORKSPACE_DEV, false)
  return {
    port: integer(env, 'PORT', 3100, 0, 65535),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    dbPath: path.resolve(nonEmpty(env.DB_PATH) ?? path.join(REPO_ROOT, '.data', 'workspace.sqlite')),
    databaseUrl: postgresUrl(nonEmpty(env.DATABASE_URL)),
    databaseSchema: schemaName(nonEmpty(env.DATABASE_SCHEMA)),
    dev,
    rateLimits: {
      signInPerMinute: integer(env, 'RATE_LIMIT_SIGNIN_PER_MINUTE', DEFAULT_RATE_LIMITS.signInPerMinute, 1, 100_000),
      uploadsPerMinute: integer(env, 'RATE_LIMIT_UPLOADS_PER_MINUTE', DEFAULT_RATE_LIMITS.uploadsPerMinute, 1, 100_000),
      submissionsPerMinute: integer(env, 'RATE_LIMIT_SUBMISSIONS_PER_MINUTE', DEFAULT_RATE_LIMITS.submissionsPerMinute, 1, 100_000),
    },
    staticDir: path.resolve(nonEmpty(env.STATIC_DIR) ?? path.join(REPO_ROOT, 'dist', 'h5')),
    sessionTtlMinutes: integer(env, 'SESSION_TTL_MINUTES', 720, 1, 60 * 24 * 365),
    demoStaffId: nonEmpty(env.DEMO_STAFF_ID) ?? 'staff-aisyah',
    uploadDir: path.resolve(nonEmpty(env.UPLOAD_DIR) ?? path.join(REPO_ROOT, '.data', 'uploads')),
    photoBucket: s3OptionsFromEnv(env),
    maxUploadBytes: integer(env, 'MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES, 1024, 100 * 1024 * 1024),
    dingtalk: dingtalkSettings(env),
    testAccountKey: parseTestAccountKey(env[TEST_ACCOUNT_KEY_VARIABLE]),
    miniAppId: miniAppId(env, dev),
    consoleUrl: consoleUrl(nonEmpty(env.CONSOLE_PUBLIC_URL)),
    metrics: metricsListen(env),
    trustProxy: parseTrustProxy(env[TRUST_PROXY_VARIABLE]),
    logLevel: logLevel(nonEmpty(env.LOG_LEVEL)),
    shutdownDeadlineSeconds: integer(env, 'SHUTDOWN_DEADLINE_SECONDS', DEFAULT_SHUTDOWN_DEADLINE_SECONDS, 0, 3600),
    startupChecks: booleanSetting('STARTUP_CHECKS', env.STARTUP_CHECKS, true),
    payments: paymentSettingsFromEnv(env),
    marketingCodes: marketingCodesFromEnv(env, dev),
    evidence: evidenceSettingsFromEnv(env),
    photoQuality: photoQualityFromEnv(env),
  }
}

/**
 * METRICS_PORT (unset: no metrics endpoint) and METRICS_HOST (default 127.0.0.1: only this machine). The port
 * must differ from PORT, so that the public never reaches the metrics.
 */
function metricsListen(env: Env): MetricsListen | null {
  const host = nonEmpty(env.METRICS_HOST)
  if (nonEmpty(env.METRICS_PORT) === undefined) {
    if (host !== undefined) throw new Error('METRICS_HOST is set but METRICS_PORT is not: set METRICS_PORT to serve the metrics, or unset METRICS_HOST.')
    return null
  }
  const port = integer(env, 'METRICS_PORT', 0, 1, 65535)
  if (port === integer(env, 'PORT', 3100, 0, 65535)) {
    throw new Error(`METRICS_PORT must differ from PORT (both ${port}): the metrics get a port of their own that the public cannot reach.`)
  }
  if (host !== undefined && !/^[A-Za-z0-9.:-]{1,253}$/.test(host)) {
    throw new Error(`METRICS_HOST must be an address to listen on, such as 127.0.0.1 or 10.0.0.5 (got "${host.slice(0, 80)}")`)
  }
  return { port, host: host ?? '127.0.0.1' }
}

/** LOG_LEVEL checked: one of LOG_LEVELS (any case). */
function logLevel(value: string | undefined): LogLevel | undefined {
  if (value === undefined) return undefined
  const level = value.toLowerCase()
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${value}")`)
  return level as LogLevel
}

/** DINGTALK_MINI_APP_ID checked: the number DingTalk's developer console shows as the mini-app's MiniAppId. */
function miniAppId(env: Env, dev: boolean): string | null {
  const value = nonEmpty(env.DINGTALK_MINI_APP_ID)
  if (value === undefined) return dev ? DEV_MINI_APP_ID : null
  if (!/^\d{1,24}$/.test(value)) throw new Error(`DINGTALK_MINI_APP_ID must be the mini-app's MiniAppId, a number (got "${value}")`)
  return value
}

/** CONSOLE_PUBLIC_URL checked: an http(s) address. */
function consoleUrl(value: string | undefined): string | null {
  if (value === undefined) return null
  let ok = false
  try {
    ok = /^https?:$/.test(new URL(value).protocol)
  } catch {
    ok = false
  }
  if (!ok) throw new Error('CONSOLE_PUBLIC_URL must be an http(s) address, e.g. https://workspace.example.com')
  return value.replace(/\/+$/, '')
}

/** DATABASE_URL checked: a postgres:// (or postgresql://) URL. The value is never quoted back: it holds a password. */
function postgresUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  let ok = false
  try {
    ok = /^postgres(ql)?:$/i.test(new URL(value).protocol)
  } catch {
    ok = false
  }
  if (!ok) throw new Error('DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/posm (leave it unset for SQLite at DB_PATH).')
  return value
}

/** DATABASE_SCHEMA checked: a plain lower-case name (it is put in SQL unquoted). */
function schemaName(value: string | undefined): string | undefined {
  if (value !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(value)) {
    throw new Error(`DATABASE_SCHEMA must be a PostgreSQL schema name: lower-case letters, digits and _, not starting with a digit (got "${value}")`)
  }
  return value
}

/** A PostgreSQL URL for a log line or the start-up banner: `host[:port]/database`, never the user name or password. */
export function postgresForDisplay(url: string): string {
  try {
    const u = new URL(url)
    const host = u.host || u.searchParams.get('host') || 'localhost'
    const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(the default database)'
    return `${host}/${database}`
  } catch {
    return '(an address that is not a URL)'
  }
}

/** Which database the configuration names, for the start-up banner (no secret): `PostgreSQL host/db`, or the SQLite file. */
export function databaseForDisplay(config: Pick<ServerConfig, 'dbPath' | 'databaseUrl'>): string {
  return config.databaseUrl ? `PostgreSQL ${postgresForDisplay(config.databaseUrl)}` : config.dbPath
}

function dingtalkSettings(env: Env): DingTalkSettings | null {
  const values = DINGTALK_VARIABLES.map((name) => nonEmpty(env[name]))
  if (values.every((v) => v === undefined)) return null
  const missing = DINGTALK_VARIABLES.filter((_, i) => values[i] === undefined)
  if (missing.length) throw new Error(`DingTalk is configured only in part: set ${missing.join(', ')} as well (see README, Deploying for an ISO).`)
  const [appKey, appSecret, agentId, corpId] = values as string[]
  if (!/^\d{1,18}$/.test(agentId)) throw new Error(`DINGTALK_AGENT_ID must be the app's AgentId, a number (got "${agentId}")`)
  const apiBase = nonEmpty(env.DINGTALK_API_BASE) ?? DINGTALK_API_BASE
  let url: URL
  try {
    url = new URL(apiBase)
  } catch {
    throw new Error(`DINGTALK_API_BASE must be an address such as ${DINGTALK_API_BASE} (got "${apiBase}")`)
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`DINGTALK_API_BASE must use https:// (plain http only on a loopback address, for a test fake; got "${apiBase}")`)
  }
  return {
    appKey,
    appSecret,
    agentId,
    corpId,
    apiBase,
    timeoutMs: integer(env, 'DINGTALK_TIMEOUT_MS', 4000, 100, 60_000),
    // per process: with several processes, their sum should stay under DingTalk's 20 per second and API
    callsPerSecond: integer(env, 'DINGTALK_CALLS_PER_SECOND', DEFAULT_DINGTALK_CALLS_PER_SECOND, 1, 20),
  }
}

/**
 * Why the server cannot start with this configuration, or null. Outside development mode staff sign in
 * only through DingTalk, so a production server without DingTalk could sign nobody in; and the test
 * accounts' passwords need their encryption key (TEST_ACCOUNT_KEY), never a key everyone knows.
 */
export function startProblem(config: ServerConfig): string | null {
  if (!config.dev && !config.dingtalk) {
    return `Production mode signs staff in through DingTalk: set ${DINGTALK_VARIABLES.join(', ')} (see README, Deploying for an ISO), or WORKSPACE_DEV=1 for development.`
  }
  if (!config.dev && !config.testAccountKey) {
    return `Production mode encrypts the Alipay test accounts' passwords: set ${TEST_ACCOUNT_KEY_VARIABLE} (see README, Deploying for an ISO). ${TEST_ACCOUNT_KEY_HELP}; keep it secret and the same on every server process.`
  }
  if (!config.dev && !config.miniAppId) {
    return 'Production mode prints association QR codes that open the mini-program in DingTalk: set DINGTALK_MINI_APP_ID to the MiniAppId of the app (see README, Deploying for an ISO).'
  }
  const payments = paymentStartProblem(config.payments, config.dev)
  if (payments) return payments
  const marketingCodes = marketingCodesStartProblem(config)
  if (marketingCodes) return marketingCodes
  return null
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name])
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`)
  }
  return value
}
