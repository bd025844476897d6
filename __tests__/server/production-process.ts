/**
 * A production server started as an operator's supervisor starts it: the documented command (`npm start`, or
 * `node --import tsx server/src/main.ts`) with only the environment given (PATH and HOME inherited), its
 * standard output and standard error kept apart, for the tests of the start-up checks and of stopping.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import type { FakeDingTalk } from '../helpers/fake-dingtalk'
import { MARKETING_CODES_ENV } from './marketing-code-env'

export const ROOT = path.resolve(__dirname, '../..')

/** The documented commands (README, Deploying for an ISO → Under a supervisor). */
export const COMMANDS = {
  npmStart: ['npm', 'start', '--silent'],
  npmRunServer: ['npm', 'run', '--silent', 'server'],
  node: [process.execPath, '--import', 'tsx', 'server/src/main.ts'],
} as const

export interface StartedProcess {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>
}

/** Spawns the command in the repository with only this environment (plus PATH and HOME). */
export function spawnCommand(command: readonly string[], env: Record<string, string>): StartedProcess {
  const child = spawn(command[0], command.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')))
  return { child, stdout: () => out, stderr: () => err, exited }
}

/** Waits until `test` holds for the output (checked every 50 ms), or fails with what was printed. */
export async function waitFor(started: StartedProcess, what: string, test: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!test()) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      // the last output may still be in the pipes
      await new Promise((resolve) => setTimeout(resolve, 100))
      if (test()) return
      throw new Error(`the process exited (${started.child.exitCode ?? started.child.signalCode}) before ${what}:\n${started.stdout()}\n${started.stderr()}`)
    }
    if (Date.now() > until) throw new Error(`no ${what} within ${timeoutMs} ms:\n${started.stdout()}\n${started.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Standard output as JSON lines; throws on a line that is not JSON. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>
      } catch {
        throw new Error(`not a JSON line on standard output: ${line}`)
      }
    })
}

/** The API address of the listening line (production: a JSON line whose message names it). */
export function apiBase(stdout: string): string | null {
  return /API:\s+(http:\/\/127\.0\.0\.1:\d+)\/api/.exec(stdout)?.[1] ?? null
}

/** The environment of a production server talking to this fake DingTalk (the settings it refuses to start without). */
export function productionEnv(fake: FakeDingTalk, dir: string): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    STATIC_DIR: path.join(dir, 'no-h5-build'),
    UPLOAD_DIR: path.join(dir, 'uploads'),
    DINGTALK_APP_KEY: fake.appKey,
    DINGTALK_APP_SECRET: fake.appSecret,
    DINGTALK_AGENT_ID: String(fake.agentId),
    DINGTALK_CORP_ID: fake.corpId,
    DINGTALK_API_BASE: fake.url,
    DINGTALK_MINI_APP_ID: '5000000000000042',
    TEST_ACCOUNT_KEY: randomBytes(32).toString('base64'),
    // payments checked by a reviewer, and the Marketing Codes' format (README: Payment verification, Marketing Codes as printed)
    PAYMENT_VERIFICATION: 'manual',
    ...MARKETING_CODES_ENV,
  }
}

/** Whether a process of this id still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
