import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { ApiErrorBody } from '../../packages/contract/errors'
import { buildServer, type BuildServerOptions } from '../../server/src/app'
import { SettableClock } from '../../server/src/clock'
import { basicAuthHeader } from '../../server/src/console/basic-auth'

export const CONSOLE_AUTH = { user: 'iso-admin', password: 's3cret pass' }

/** A temporary folder for one test; removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-server-'))
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

export interface TestServer {
  app: FastifyInstance
  clock: SettableClock
  dbPath: string
  dir: string
  /** Where this server keeps photos (unless overridden). */
  uploadDir: string
  /** Signs in through the dev endpoint and answers the bearer token. */
  signIn(staffId: string): Promise<string>
  /** A JSON call to the API; `body` is sent as JSON unless `payload` is given. */
  api(method: 'GET' | 'POST' | 'OPTIONS', url: string, opts?: ApiCallOptions): Promise<LightMyRequestResponse>
  consoleGet(url?: string, auth?: string | null): Promise<LightMyRequestResponse>
  consolePost(url: string, form: Record<string, string>, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

export interface ApiCallOptions {
  token?: string
  body?: unknown
  payload?: string
  headers?: Record<string, string>
}

/** A server on its own temporary database, with a settable clock and console credentials. */
export async function startTestServer(overrides: Partial<BuildServerOptions> = {}): Promise<TestServer> {
  const { dir, cleanup } = tempDir()
  const dbPath = path.join(dir, 'workspace.sqlite')
  const clock = new SettableClock('2025-03-03T02:00:00.000Z')
  const uploadDir = path.join(dir, 'uploads')
  const app = await buildServer({ dbPath, dev: true, clock, consoleAuth: CONSOLE_AUTH, staticDir: null, uploadDir, logger: false, ...overrides })

  const api: TestServer['api'] = (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`
    const request: InjectOptions = { method, url, headers }
    if (opts.payload !== undefined) request.payload = opts.payload
    else if (opts.body !== undefined) {
      request.payload = JSON.stringify(opts.body)
      headers['content-type'] ??= 'application/json'
    }
    return app.inject(request)
  }

  return {
    app,
    clock,
    dbPath,
    dir,
    uploadDir: overrides.uploadDir ?? uploadDir,
    api,
    async signIn(staffId) {
      const res = await api('POST', '/api/auth/dev', { body: { staffId } })
      if (res.statusCode !== 200) throw new Error(`sign-in of ${staffId} failed: ${res.statusCode} ${res.body}`)
      return res.json().token as string
    },
    consoleGet(url = '/console', auth = basicAuthHeader(CONSOLE_AUTH.user, CONSOLE_AUTH.password)) {
      return app.inject({ method: 'GET', url, headers: auth ? { authorization: auth } : {} })
    },
    consolePost(url, form, headers = {}) {
      return app.inject({
        method: 'POST',
        url,
        headers: {
          authorization: basicAuthHeader(CONSOLE_AUTH.user, CONSOLE_AUTH.password),
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        payload: new URLSearchParams(form).toString(),
      })
    },
    async close() {
      await app.close()
      cleanup()
    },
  }
}

/** The error body of a refused call, checked to have the ApiErrorBody shape. */
export function errorOf(res: LightMyRequestResponse): ApiErrorBody['error'] {
  expect(res.headers['content-type']).toMatch(/^application\/json/)
  const body = res.json() as ApiErrorBody
  expect(typeof body.error.code).toBe('string')
  expect(typeof body.error.message).toBe('string')
  return body.error
}
