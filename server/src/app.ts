import fs from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance } from 'fastify'
import { systemClock, type Clock } from './clock'
import type { ConsoleAuth } from './config'
import { consolePlugin } from './console/plugin'
import type { AppContext } from './context'
import { openDatabase } from './db'
import { createRepos } from './repo'
import { API_BODY_LIMIT, apiPlugin, sendApiError } from './routes/api'
import { createAssociationService } from './services/association'
import { createAuthService } from './services/auth'

export interface BuildServerOptions {
  dbPath: string
  /** Development mode: dev sign-in and dev DingTalk codes. */
  dev: boolean
  clock?: Clock
  /** null or absent: /console answers 503. */
  consoleAuth?: ConsoleAuth | null
  /** Built H5 app served at `/` when the folder exists. */
  staticDir?: string | null
  sessionTtlMinutes?: number
  demoStaffId?: string
  logger?: boolean
}

/** Builds the workspace server (not listening). Closing it closes the database. */
export async function buildServer(opts: BuildServerOptions): Promise<FastifyInstance> {
  const clock = opts.clock ?? systemClock
  const db = openDatabase(opts.dbPath, { clock })
  const repos = createRepos(db)
  const ctx: AppContext = {
    db,
    clock,
    dev: opts.dev,
    repos,
    auth: createAuthService({
      db,
      repos,
      clock,
      dev: opts.dev,
      sessionTtlMinutes: opts.sessionTtlMinutes ?? 720,
      demoStaffId: opts.demoStaffId ?? 'staff-aisyah',
    }),
    association: createAssociationService({ db, repos, clock }),
  }

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: API_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true },
  })
  app.addHook('onClose', async () => {
    db.close()
  })

  try {
    app.setErrorHandler((error, request, reply) => sendApiError(error, request, reply))

    await app.register(apiPlugin(ctx), { prefix: '/api' })
    await app.register(consolePlugin(ctx, opts.consoleAuth ?? null), { prefix: '/console' })

    const staticDir = opts.staticDir && fs.existsSync(opts.staticDir) ? path.resolve(opts.staticDir) : null
    const hasIndex = staticDir !== null && fs.existsSync(path.join(staticDir, 'index.html'))
    if (staticDir) {
      // Routes registered above (/api/*, /console) win over the static wildcard; a missing file falls
      // through to the not-found handlers below.
      await app.register(fastifyStatic, { root: staticDir, prefix: '/' })
    } else {
      app.get('/', async (_request, reply) =>
        reply
          .type('text/plain; charset=utf-8')
          .send('POSM Workspace server. API: /api · ISO platform console: /console · H5 app: not built (npm run build:h5).\n'),
      )
    }

    app.setNotFoundHandler((request, reply) => {
      const pathname = request.url.split('?')[0]
      // History-mode routes of the H5 app (no file extension) get the app's index.html.
      const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html')
      const ours = /^\/(api|console)(\/|$)/.test(pathname)
      if (hasIndex && wantsPage && !ours && path.extname(pathname) === '') return reply.sendFile('index.html')
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n')
    })

    await app.ready()
  } catch (error) {
    await app.close().catch(() => undefined)
    throw error
  }
  return app
}
