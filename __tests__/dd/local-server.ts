/**
 * The real local workspace server for the compiled-build tests (development mode, a temporary SQLite
 * file, a loopback port), and DingTalk's network standing in: the build's API address goes to it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildServer, type BuildServerOptions } from '../../server/src/app'

export const DIST = path.resolve(__dirname, '..', '..', 'dist', 'dd')

export interface LocalServer {
  dir: string
  /** The server's address, once started. */
  base(): string
  httpRequest(options: { url: string; method: string; headers: Record<string, string>; data?: string }): Promise<{ status: number; data: unknown }>
  uploadFile(options: { url: string; filePath: string; fileName: string; header?: Record<string, string>; formData?: Record<string, string> }): Promise<{ status: number; data: string }>
}

/**
 * Starts the server before the file's tests and stops it after them: development mode unless `options`
 * say otherwise (a function, to read what other beforeAll hooks set up, such as a fake DingTalk).
 */
export function localServerForFile(options: () => Partial<BuildServerOptions> = () => ({})): LocalServer {
  let server: FastifyInstance
  let base = ''
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-dd-'))
  const toBase = (url: string) => url.replace(/^https?:\/\/[^/]+/, base)

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'app.js'))) throw new Error('dist/dd is missing: run `npm run build:dd` first')
    server = await buildServer({ dbPath: path.join(dir, 'db.sqlite'), dev: true, consoleAuth: null, staticDir: null, uploadDir: path.join(dir, 'uploads'), ...options() })
    await server.listen({ port: 0, host: '127.0.0.1' })
    const address = server.server.address()
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  })

  afterAll(async () => {
    await server?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  return {
    dir,
    base: () => base,
    async httpRequest(options) {
      const res = await fetch(toBase(options.url), { method: options.method, headers: options.headers, body: options.method === 'GET' ? undefined : options.data })
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
  }
}
