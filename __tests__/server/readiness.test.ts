/**
 * Liveness and readiness (server/src/readiness.ts; README, "Health, readiness and metrics"): `GET /api/health`
 * answers while the process runs; `GET /api/ready` answers 503 naming the dependency while the database (PostgreSQL
 * stopped: the test's own TCP relay in front of the cluster goes away, connections cut) or the photo store (the
 * folder gone, the bucket's service stopped) is unreachable, and 200 again once it is back, without a restart.
 */
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import { buildServer } from '../../server/src/app'
import { createS3Store } from '../../server/src/storage/s3'
import { S3RVER_ACCESS, S3RVER_BUCKET } from '../helpers/s3rver'
import { itPostgresOnly, TEST_DATABASE_URL, testDatabaseIn } from './engine'
import { startTestServer, tempDir, type TestServer } from './helpers'

jest.setTimeout(60_000)

const S3rver: new (options: Record<string, unknown>) => { run(): Promise<net.AddressInfo>; close(): Promise<void> } = require('s3rver')

/** Asks until `done` holds for the answer (the readiness answer is reused for a second), at most 15 s. */
async function until(ask: () => Promise<LightMyRequestResponse>, done: (res: LightMyRequestResponse) => boolean): Promise<LightMyRequestResponse> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const res = await ask()
    if (done(res) || Date.now() > deadline) return res
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

const ready = (server: TestServer) => server.app.inject({ method: 'GET', url: '/api/ready' })
const health = (server: TestServer) => server.app.inject({ method: 'GET', url: '/api/health' })

describe('GET /api/ready', () => {
  it('answers 200 with each check while everything is reachable, and is not cached by anyone', async () => {
    const server = await startTestServer()
    try {
      const res = await ready(server)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ status: 'ready', checks: { database: 'ok', photos: 'ok' } })
      expect(res.headers['cache-control']).toBe('no-store')
    } finally {
      await server.close()
    }
  })

  it('fails while the upload folder is missing and recovers once it is back; liveness stays 200', async () => {
    const logs: string[] = []
    const server = await startTestServer({ logger: { level: 'info', stream: { write: (line: string) => logs.push(line) } } })
    const aside = `${server.uploadDir}-aside`
    try {
      expect((await ready(server)).statusCode).toBe(200)
      fs.renameSync(server.uploadDir, aside)
      const down = await until(
        () => ready(server),
        (res) => res.statusCode === 503,
      )
      expect(down.statusCode).toBe(503)
      expect(down.json()).toEqual({ status: 'not_ready', checks: { database: 'ok', photos: 'unreachable' } })
      expect((await health(server)).statusCode).toBe(200)
      expect(logs.join('')).toContain('not ready: the photo store is unreachable')

      fs.renameSync(aside, server.uploadDir)
      const up = await until(
        () => ready(server),
        (res) => res.statusCode === 200,
      )
      expect(up.json()).toEqual({ status: 'ready', checks: { database: 'ok', photos: 'ok' } })
      expect(logs.join('')).toContain('the photo store is reachable again')
    } finally {
      if (fs.existsSync(aside)) fs.renameSync(aside, server.uploadDir)
      await server.close()
    }
  })

  it('fails while the bucket is unreachable or missing and recovers once it is back', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-s3rver-'))
    const start = (port: number) => new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: [{ name: S3RVER_BUCKET }] })
    let s3 = start(0)
    const { port } = await s3.run()
    const endpoint = `http://127.0.0.1:${port}`
    const server = await startTestServer({
      photoStore: createS3Store({ bucket: S3RVER_BUCKET, endpoint, forcePathStyle: true, credentials: S3RVER_ACCESS, connectionTimeoutMs: 500 }),
    })
    const onMissingBucket = await startTestServer({
      photoStore: createS3Store({ bucket: 'no-such-bucket', endpoint, forcePathStyle: true, credentials: S3RVER_ACCESS }),
    })
    try {
      expect((await ready(server)).statusCode).toBe(200)
      const missing = await ready(onMissingBucket)
      expect(missing.statusCode).toBe(503)
      expect(missing.json().checks).toEqual({ database: 'ok', photos: 'unreachable' })

      await s3.close()
      const down = await until(
        () => ready(server),
        (res) => res.statusCode === 503,
      )
      expect(down.statusCode).toBe(503)
      expect(down.json().checks).toEqual({ database: 'ok', photos: 'unreachable' })
      expect((await health(server)).statusCode).toBe(200)

      s3 = start(port)
      await s3.run()
      const up = await until(
        () => ready(server),
        (res) => res.statusCode === 200,
      )
      expect(up.json()).toEqual({ status: 'ready', checks: { database: 'ok', photos: 'ok' } })
    } finally {
      await server.close()
      await onMissingBucket.close()
      await s3.close().catch(() => undefined)
      fs.rmSync(directory, { recursive: true, force: true })
    }
  })

  /**
   * PostgreSQL stopped and started again, as the server sees it: it reaches the cluster through a TCP relay of this
   * test, which stops (its port refuses connections, every open connection is cut) and starts again on the same port.
   * The shared test cluster itself keeps running for the other tests.
   */
  itPostgresOnly('fails while PostgreSQL is down and recovers when it is back, without a restart', async () => {
    const target = new URL(TEST_DATABASE_URL!)
    const sockets = new Set<net.Socket>()
    let relay: net.Server | null = null
    const startRelay = (port: number) =>
      new Promise<number>((resolve, reject) => {
        const server = net.createServer((client) => {
          const upstream = net.connect(Number(target.port || 5432), target.hostname)
          for (const s of [client, upstream]) {
            sockets.add(s)
            s.on('close', () => sockets.delete(s))
            s.on('error', () => undefined)
          }
          client.pipe(upstream).pipe(client)
          client.on('close', () => upstream.destroy())
          upstream.on('close', () => client.destroy())
        })
        server.once('error', reject)
        server.listen(port, '127.0.0.1', () => {
          relay = server
          resolve((server.address() as net.AddressInfo).port)
        })
      })
    const stopRelay = () =>
      new Promise<void>((resolve) => {
        if (!relay) return resolve()
        relay.close(() => resolve())
        for (const s of sockets) s.destroy()
        relay = null
      })

    const port = await startRelay(0)
    const viaRelay = new URL(TEST_DATABASE_URL!)
    viaRelay.port = String(port)
    const { dir, cleanup } = tempDir()
    const database = testDatabaseIn(dir)
    const logs: string[] = []
    const app = await buildServer({
      dev: true,
      demoData: true,
      staticDir: null,
      uploadDir: path.join(dir, 'uploads'),
      dbPath: database.dbPath,
      databaseUrl: viaRelay.toString(),
      databaseSchema: database.schema,
      logger: { level: 'info', stream: { write: (line: string) => logs.push(line) } },
      metrics: { port: 0, host: '127.0.0.1' },
    })
    /** The scrape's sample of the database's readiness, and whether the queues could be read. */
    const scrape = async () => {
      const res = await fetch(app.metricsUrl!)
      const text = await res.text()
      return {
        status: res.status,
        databaseUp: /^posm_dependency_up\{dependency="database"\} (\d)$/m.exec(text)?.[1],
        queues: /^posm_queue_depth\{/m.test(text),
      }
    }
    const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} })
    try {
      const signIn = await app.inject({ method: 'POST', url: '/api/auth/dev', payload: { staffId: 'staff-dao' } })
      expect(signIn.statusCode).toBe(200)
      const token = (signIn.json() as { token: string }).token
      expect((await get('/api/ready')).statusCode).toBe(200)
      expect((await get('/api/me', token)).statusCode).toBe(200)

      await stopRelay()
      const down = await until(
        () => get('/api/ready'),
        (res) => res.statusCode === 503,
      )
      expect(down.statusCode).toBe(503)
      expect(down.json()).toEqual({ status: 'not_ready', checks: { database: 'unreachable', photos: 'ok' } })
      expect((await get('/api/health')).statusCode).toBe(200)
      expect((await get('/api/me', token)).statusCode).toBe(500)
      expect(logs.join('')).toContain('not ready: the database is unreachable')
      // the metrics still answer, saying so (and without the queues they cannot read)
      expect(await scrape()).toEqual({ status: 200, databaseUp: '0', queues: false })

      await startRelay(port)
      const up = await until(
        () => get('/api/ready'),
        (res) => res.statusCode === 200,
      )
      expect(up.json()).toEqual({ status: 'ready', checks: { database: 'ok', photos: 'ok' } })
      expect(logs.join('')).toContain('the database is reachable again')
      expect(await scrape()).toEqual({ status: 200, databaseUp: '1', queues: true })
      expect((await get('/api/me', token)).statusCode).toBe(200)
    } finally {
      if (!relay) await startRelay(port).catch(() => undefined)
      await app.close()
      await stopRelay()
      await database.drop()
      cleanup()
    }
  })
})
