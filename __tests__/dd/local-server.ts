/**
 * The real local workspace server for the compiled-build tests (development mode, a temporary SQLite
 * file, a loopback port), and DingTalk's network standing in: the build's API address goes to it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildServer, type BuildServerOptions } from '../../server/src/app'

/**
 * The build under test: dist/dd, or the one POSM_DD_DIST names (npm test runs this suite a second time on the
 * one-package build, dist/dd-single: `POSM_DD_SUBPACKAGES=0`).
 */
export const DIST = process.env.POSM_DD_DIST ? path.resolve(process.env.POSM_DD_DIST) : path.resolve(__dirname, '..', '..', 'dist', 'dd')

export interface LocalServer {
  dir: string
  httpRequest(options: { url: string; method: string; headers: Record<string, string>; data?: string }): Promise<{ status: number; data: unknown }>
  uploadFile(options: {
    url: string
    filePath: string
    fileName: string
    header?: Record<string, string>
    formData?: Record<string, string>
  }): Promise<{ status: number; data: string }>
  /** DingTalk's downloadFile: the file saved under `dir`. */
  downloadFile(options: { url: string; header?: Record<string, string> }): Promise<{ status: number; filePath: string }>
}

/**
 * Starts the server on a free loopback port with a temporary database (development mode: one console
 * account per role) unless `options` say otherwise; `close()` stops it and removes its files.
 */
export async function startLocalServer(
  options: Partial<BuildServerOptions> = {},
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-dd-')),
): Promise<LocalServer & { base: string; close(): Promise<void> }> {
  if (!fs.existsSync(path.join(DIST, 'app.js'))) throw new Error('dist/dd is missing: run `npm run build:dd` first')
  const server: FastifyInstance = await buildServer({
    dbPath: path.join(dir, 'db.sqlite'),
    dev: true,
    staticDir: null,
    uploadDir: path.join(dir, 'uploads'),
    ...options,
  })
  await server.listen({ port: 0, host: '127.0.0.1' })
  const address = server.server.address()
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  return {
    ...connector(dir, () => base),
    base,
    async close() {
      await server.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Starts the server before the file's tests and stops it after them: development mode unless `options`
 * say otherwise (a function, to read what other beforeAll hooks set up, such as a fake DingTalk).
 */
export function localServerForFile(options: () => Partial<BuildServerOptions> = () => ({})): LocalServer & { base(): string } {
  let started: Awaited<ReturnType<typeof startLocalServer>> | undefined
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-dd-'))
  beforeAll(async () => {
    started = await startLocalServer(options(), dir)
  })
  afterAll(async () => {
    await started?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  // the camera's pictures go to `dir` (known before the server starts); requests go to the started server
  return { ...connector(dir, () => started?.base ?? ''), dir, base: () => started?.base ?? '' }
}

/** DingTalk's network standing in: the build's API address goes to the server at `base()`. */
function connector(dir: string, base: () => string): LocalServer {
  const toBase = (url: string) => url.replace(/^https?:\/\/[^/]+/, base())
  return {
    dir,
    async httpRequest(options) {
      const res = await fetch(toBase(options.url), {
        method: options.method,
        headers: options.headers,
        body: options.method === 'GET' ? undefined : options.data,
      })
      const text = await res.text()
      return { status: res.status, data: text ? JSON.parse(text) : null }
    },
    /** DingTalk's uploadFile: the file from the device, multipart, with the form fields. */
    async uploadFile(options) {
      const form = new FormData()
      for (const [k, v] of Object.entries(options.formData ?? {})) form.append(k, v)
      form.append(options.fileName, new Blob([fs.readFileSync(options.filePath)], { type: 'image/png' }), path.basename(options.filePath))
      const res = await fetch(toBase(options.url), { method: 'POST', headers: options.header, body: form })
      return { status: res.status, data: await res.text() }
    },
    async downloadFile(options) {
      const res = await fetch(toBase(options.url), { headers: options.header })
      const filePath = path.join(dir, `download-${Date.now()}-${Math.random().toString(36).slice(2)}`)
      fs.writeFileSync(filePath, Buffer.from(await res.arrayBuffer()))
      return { status: res.status, filePath }
    },
  }
}
