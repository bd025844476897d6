import path from 'node:path'

/** The repository root (server/src/config.ts → ../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..')

export interface ConsoleAuth {
  user: string
  password: string
}

export interface ServerConfig {
  port: number
  host: string
  dbPath: string
  /** Development mode (WORKSPACE_DEV=1): dev sign-in, dev DingTalk codes, default console credentials. */
  dev: boolean
  /** null: the console answers 503 (no credentials configured outside development mode). */
  consoleAuth: ConsoleAuth | null
  staticDir: string
  sessionTtlMinutes: number
  demoStaffId: string
  /** Where photos are stored (created at start); outside any web root. */
  uploadDir: string
  /** Largest photo accepted, in bytes. */
  maxUploadBytes: number
}

/** 5 MiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024

type Env = Record<string, string | undefined>

/** Reads the server configuration from environment variables; throws on a malformed value. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const dev = env.WORKSPACE_DEV === '1'
  const consoleUser = nonEmpty(env.CONSOLE_USER) ?? (dev ? 'console' : undefined)
  const consolePassword = nonEmpty(env.CONSOLE_PASSWORD) ?? (dev ? 'console' : undefined)
  return {
    port: integer(env, 'PORT', 3100, 0, 65535),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    dbPath: path.resolve(nonEmpty(env.DB_PATH) ?? path.join(REPO_ROOT, '.data', 'workspace.sqlite')),
    dev,
    consoleAuth: consoleUser !== undefined && consolePassword !== undefined ? { user: consoleUser, password: consolePassword } : null,
    staticDir: path.resolve(nonEmpty(env.STATIC_DIR) ?? path.join(REPO_ROOT, 'dist', 'h5')),
    sessionTtlMinutes: integer(env, 'SESSION_TTL_MINUTES', 720, 1, 60 * 24 * 365),
    demoStaffId: nonEmpty(env.DEMO_STAFF_ID) ?? 'staff-aisyah',
    uploadDir: path.resolve(nonEmpty(env.UPLOAD_DIR) ?? path.join(REPO_ROOT, '.data', 'uploads')),
    maxUploadBytes: integer(env, 'MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES, 1024, 100 * 1024 * 1024),
  }
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
