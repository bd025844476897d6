import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance } from 'fastify'
import type { TrustedProxies } from './client-address'
import { OffsetClock, systemClock, type Clock } from './clock'
import { DEFAULT_MAX_UPLOAD_BYTES, type MetricsListen } from './config'
import type { PasswordCost } from './console/passwords'
import { consolePlugin } from './console/plugin'
import { signInFormKey, signInFormTokens } from './console/sign-in-form'
import type { AppContext } from './context'
import { openDatabase, type Db } from './db'
import { createDingTalkClient, type DingTalkClientDeps } from './dingtalk/client'
import { databasePacer } from './dingtalk/pacing'
import type { DingTalkSettings } from './dingtalk/port'
import { createMetrics, type Metrics } from './metrics'
import { createNotificationService } from './notifications/service'
import { createReadiness } from './readiness'
import { createRepos } from './repo'
import { API_BODY_LIMIT, apiPlugin, sendApiError } from './routes/api'
import { DEFAULT_RATE_LIMITS, type RateLimits } from './routes/rate-limits'
import { readinessRoutes } from './routes/readiness'
import { registerRequestIds, requestIdGenerator } from './request-id'
import { registerSecurityHeaders } from './security-headers'
import { createAssociationService } from './services/association'
import { createAuthService } from './services/auth'
import { createOrgInvitationService } from './services/org-invitations'
import { DEV_MINI_APP_ID } from './config'
import { createConsoleAccountService } from './services/console-accounts'
import { createInspectionService } from './services/inspections'
import { createIsoService } from './services/isos'
import { createMethodAgreementService } from './services/method-agreement'
import { createPromotionService } from './services/promotions'
import { createPaymentLookup } from './payments'
import type { AlipayPlusClientDeps } from './payments/alipayplus'
import { DEFAULT_PAYMENT_WINDOW_MINUTES, type PaymentSettings } from './payments/config'
import { createPaymentVerifier } from './payments/verification'
import { createPaymentReviewService } from './services/payment-review'
import { createResultsService } from './services/results'
import { createReviewService } from './services/review'
import { createTestAccountService } from './services/test-accounts'
import { createUploadService, readStoredPhoto } from './services/uploads'
import { DEFAULT_EVIDENCE_SETTINGS, type EvidenceSettings } from './evidence/config'
import { createEvidenceChecks } from './evidence/checks'
import { DEFAULT_PHOTO_QUALITY, type PhotoQualityThresholds } from './photo-checks/analyze'
import { createPhotoCheckService } from './photo-checks/service'
import { createFolderStore } from './storage/folder'
import type { PhotoStore } from './storage/port'
import { DEVELOPMENT_TEST_ACCOUNT_KEY, testAccountCipher } from './test-accounts/crypto'
import { DEVELOPMENT_MARKETING_CODE_FORMAT } from '../../packages/contract/rules/marketing-code-dev'
import { marketingCodeReader, type MarketingCodeFormat } from '../../packages/contract/rules/marketing-code'
import { named } from './routes/named-plugin'

export interface BuildServerOptions {
  /** The SQLite file (created if needed; `:memory:` for a throw-away one). Not used when databaseUrl is set. */
  dbPath?: string
  /** PostgreSQL (`postgres://…`): the database instead of the SQLite file; any number of servers may share it. */
  databaseUrl?: string
  /** PostgreSQL: the schema the tables live in (default public; tests give each server its own). */
  databaseSchema?: string
  /** Development mode: dev sign-in and dev DingTalk codes. */
  dev: boolean
  /**
   * Seed the demo ISOs, staff and promotions into a new database (default: development mode only). A production
   * database starts with the schema and nothing else.
   */
  demoData?: boolean
  /**
   * Default: the system clock; in development mode an OffsetClock (the system time, movable from
   * `/console/clock` for end-to-end tests).
   */
  clock?: Clock
  /** Requests per minute on the staff API (default DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<RateLimits>
  /** Console password hashing cost (default: cheaper in development mode, OWASP's scrypt cost otherwise). */
  passwordCost?: PasswordCost
  /** Built H5 app served at `/` when the folder exists. */
  staticDir?: string | null
  sessionTtlMinutes?: number
  demoStaffId?: string
  /**
   * Where photos are stored (created). Default: `uploads` beside the database file; a temporary folder (removed
   * when the server closes) for `:memory:` or PostgreSQL. Never inside staticDir.
   */
  uploadDir?: string
  /** Where photos are kept instead of the upload folder (an S3-compatible bucket: storage/s3.ts); closed with the server. */
  photoStore?: PhotoStore
  /** Largest photo accepted, in bytes (default 5 MiB). */
  maxUploadBytes?: number
  /** DingTalk's server API: production sign-in, membership, work notifications. null/absent: not configured. */
  dingtalk?: DingTalkSettings | null
  /** The DingTalk client's pauses and pacing (tests shorten them). */
  dingtalkClient?: Omit<DingTalkClientDeps, 'log'>
  /**
   * The key the test accounts' passwords are sealed with (TEST_ACCOUNT_KEY, 32 bytes). Absent: in development mode
   * the public development key; a production-mode server built without one (tests: main.ts refuses to start
   * without it) a random key of its own, so that what it seals opens only while it runs.
   */
  testAccountKey?: Buffer
  /** Org invitations: asked of DingTalk soon after each approval (default: as `notifications`). */
  orgInvitations?: { autoDispatch?: boolean; pollMs?: number }
  /**
   * The DingTalk mini-app's miniAppId (DINGTALK_MINI_APP_ID), the app the ISOs' association QR codes open
   * (default: DEV_MINI_APP_ID, for development).
   */
  miniAppId?: string
  /**
   * Work notifications: sent soon after each decision, retries looked for every `pollMs` (default 5 s); cards to
   * console accounts open `consoleUrl`/console/method (CONSOLE_PUBLIC_URL).
   */
  notifications?: { autoDispatch?: boolean; pollMs?: number; consoleUrl?: string | null }
  /**
   * Payment verification (issue 25): PAYMENT_VERIFICATION and the ALIPAYPLUS_* settings (payments/config.ts), and
   * the Alipay+ client's pauses and call hook (tests shorten them; issue 24's metrics count the calls). Absent: the
   * simulator (main.ts refuses to start a production server so).
   */
  payments?: { settings?: Pick<PaymentSettings, 'mode' | 'alipayPlus'> | null; windowMinutes?: number; client?: Omit<AlipayPlusClientDeps, 'now'> }
  /**
   * Which QR payloads are Alipay+ Marketing Codes (MARKETING_CODE_URL_PATTERNS, MARKETING_CODE_PATTERN), sent to the
   * app with each session. Default: the development example (main.ts refuses a production start without one).
   */
  marketingCodes?: MarketingCodeFormat
  /** The evidence checks' thresholds (issue 26; default DEFAULT_EVIDENCE_SETTINGS, each overridable). */
  evidence?: Partial<EvidenceSettings>
  /** When a photo is too dark, overexposed or blurred (config.ts photoQuality); default: the tuned thresholds. */
  photoQuality?: PhotoQualityThresholds
  /** Fastify's logger: true, or options (a level, a stream to write the lines to). */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } }
  /** The Prometheus endpoint's own listener (METRICS_PORT, METRICS_HOST; port 0: any free one); absent: none. */
  metrics?: MetricsListen | null
  /**
   * The load balancers in front of the server (TRUST_PROXY): a request from one of them is counted under the
   * client address of its X-Forwarded-For, and its X-Request-Id is kept. Absent: forwarded headers are ignored.
   */
  trustProxy?: TrustedProxies
}

export interface RegisteredRoute {
  method: string
  url: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the server (method and URL pattern), in the order registered. */
    registeredRoutes: RegisteredRoute[]
    /** The server's metrics (server/src/metrics.ts), and where GET /metrics is served (null: no listener). */
    metrics: Metrics
    metricsUrl: string | null
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/** No upload folder was given and there is no database file to put one beside: a temporary one. */
function temporaryUploadsWanted(opts: BuildServerOptions): boolean {
  return opts.photoStore === undefined && opts.uploadDir === undefined && (opts.databaseUrl !== undefined || opts.dbPath === ':memory:')
}

/** The upload folder, created; refused when a web root would serve it. */
function prepareUploadDir(opts: BuildServerOptions, dbPath: string): string {
  const dir = path.resolve(
    opts.uploadDir ??
      (temporaryUploadsWanted(opts) ? fs.mkdtempSync(path.join(os.tmpdir(), 'posm-uploads-')) : path.join(path.dirname(path.resolve(dbPath)), 'uploads')),
  )
  if (opts.staticDir && isInside(dir, path.resolve(opts.staticDir))) {
    throw new Error(`The upload folder ${dir} is inside the static folder ${opts.staticDir}; photos must not be served publicly.`)
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

/** Builds the workspace server (not listening). Closing it closes the database. */
export async function buildServer(opts: BuildServerOptions): Promise<FastifyInstance> {
  const clock = opts.clock ?? (opts.dev ? new OffsetClock(systemClock) : systemClock)
  const target = opts.databaseUrl ?? opts.dbPath
  if (target === undefined) throw new Error('buildServer: give dbPath (SQLite) or databaseUrl (PostgreSQL).')
  const uploadDir = opts.photoStore ? null : prepareUploadDir(opts, target)
  const photos = opts.photoStore ?? createFolderStore(uploadDir!)
  const temporaryUploads = temporaryUploadsWanted(opts)
  const maxUploadBytes = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES
  let db: Db
  try {
    db = await openDatabase(target, { clock, schema: opts.databaseSchema, seed: opts.demoData ?? opts.dev })
  } catch (error) {
    if (temporaryUploads) fs.rmSync(uploadDir!, { recursive: true, force: true })
    photos.close()
    throw error
  }
  const repos = createRepos(db)

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: API_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true },
    // the client's address (request.ip: rate limits, lockouts, logs) from X-Forwarded-For only through a trusted proxy
    trustProxy: opts.trustProxy ? opts.trustProxy.trust : false,
    // request ids: request-id.ts (a UUID, or a trusted proxy's X-Request-Id)
    requestIdHeader: false,
    genReqId: requestIdGenerator(opts.trustProxy),
  })
  const requestLog = registerRequestIds(app)
  // every route registered, for the tests that try each one (hostile input, roles)
  const routes: RegisteredRoute[] = []
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url })
  })
  app.decorate('registeredRoutes', routes)
  // the request's own logger (its reqId) while answering one, e.g. DingTalk's calls made for a sign-in
  const log = (level: 'debug' | 'info' | 'warn' | 'error', event: Record<string, unknown>, message: string) =>
    (requestLog.current() ?? app.log)[level](event, message)
  // readiness (GET /api/ready) and metrics (their own port): server/src/readiness.ts, server/src/metrics.ts
  const readiness = createReadiness({ db, photos, log })
  const metrics = createMetrics({ db, clock, readiness })
  metrics.observe(app)
  app.decorate('metrics', metrics)
  app.decorate('metricsUrl', null)
  let metricsListener: { url: string; close(): Promise<void> } | null = null
  // DingTalk's pace kept in the database: the server processes together stay under its per-app limit
  const dingtalk = opts.dingtalk
    ? createDingTalkClient(opts.dingtalk, {
        pacer: databasePacer(db, opts.dingtalkClient?.now, opts.dingtalkClient?.sleep),
        ...opts.dingtalkClient,
        log,
        onCallEnded: metrics.dingtalkCallEnded,
      })
    : null
  const notifications = createNotificationService({ repos, db, clock, dingtalk, log, ...opts.notifications })
  const testAccountKey = opts.testAccountKey ?? (opts.dev ? DEVELOPMENT_TEST_ACCOUNT_KEY : randomBytes(32))
  const orgInvitations = createOrgInvitationService({ db, repos, clock, dingtalk, log, ...(opts.orgInvitations ?? opts.notifications) })
  const marketingCodes = marketingCodeReader(opts.marketingCodes ?? DEVELOPMENT_MARKETING_CODE_FORMAT)
  const photoChecks = createPhotoCheckService({
    checks: repos.photoChecks,
    clock,
    thresholds: opts.photoQuality ?? DEFAULT_PHOTO_QUALITY,
    marketingCodes,
    photoBytes: async (uploadId) => {
      const upload = await repos.uploads.findById(uploadId)
      return upload ? readStoredPhoto(photos, upload) : null
    },
  })
  const association = createAssociationService({ db, repos, clock, notifications, orgInvitations, dingtalk, dev: opts.dev })
  const review = createReviewService({ db, repos, clock, notifications })
  const payments = createPaymentVerifier({
    repos,
    clock,
    lookup: createPaymentLookup(opts.payments?.settings, clock, {
      log,
      // each inquiry's outcome once its retries are over, in posm_alipay_plus_calls_total
      onCall: (outcome) => metrics.alipayPlusCallEnded('inquiryPayment', outcome),
      ...opts.payments?.client,
    }),
    windowMinutes: opts.payments?.windowMinutes ?? DEFAULT_PAYMENT_WINDOW_MINUTES,
    log,
  })
  // near-duplicate photos and location trust at submit (issue 26)
  const evidence = createEvidenceChecks({ repos, clock, settings: { ...DEFAULT_EVIDENCE_SETTINGS, ...opts.evidence } })
  const ctx: AppContext = {
    db,
    clock,
    dev: opts.dev,
    repos,
    dingtalk,
    notifications,
    orgInvitations,
    miniAppId: opts.miniAppId ?? DEV_MINI_APP_ID,
    auth: createAuthService({
      db,
      repos,
      clock,
      dev: opts.dev,
      sessionTtlMinutes: opts.sessionTtlMinutes ?? 720,
      demoStaffId: opts.demoStaffId ?? 'staff-aisyah',
      dingtalk,
      association,
      marketingCodes: marketingCodes.format,
    }),
    association,
    uploads: createUploadService({ db, repos, clock, photos, photoChecks }),
    photoChecks,
    promotions: createPromotionService({ db, repos, clock, maxUploadBytes, payments, marketingCodes, evidence, photoChecks }),
    review,
    paymentReview: createPaymentReviewService({ db, repos, clock, notifications, review }),
    results: createResultsService({ db, repos, clock, evidence, photoChecks }),
    inspections: createInspectionService({ db, repos, clock, notifications, payments, marketingCodes }),
    isos: createIsoService({ db, repos, clock }),
    testAccounts: createTestAccountService({ db, repos, clock, cipher: testAccountCipher(testAccountKey), log }),
    methodAgreement: createMethodAgreementService({ db, repos, clock, notifications }),
    consoleAccounts: createConsoleAccountService({ db, repos, clock, dev: opts.dev, cost: opts.passwordCost }),
    signInForm: signInFormTokens(signInFormKey({ dingtalkAppSecret: opts.dingtalk?.appSecret, dev: opts.dev })),
    maxUploadBytes,
    marketingCodes,
  }

  app.addHook('onClose', async () => {
    await metricsListener?.close()
    await notifications.stop()
    await orgInvitations.stop()
    await db.close()
    photos.close()
    if (temporaryUploads) fs.rmSync(uploadDir!, { recursive: true, force: true })
  })

  try {
    // the hash an unknown console user name is checked against, before the first sign-in can arrive
    await ctx.consoleAccounts.prepare()
    // development mode: one console account per role (README), when the database has none
    if (opts.dev) await ctx.consoleAccounts.seedDevelopmentAccounts()
    // the demo data (development mode, or asked for): the demo staff's test accounts, sealed with this server's key
    // (once); `npm run seed:demo` seals them with the configured key itself (server/src/seed-demo.ts)
    if (opts.demoData ?? opts.dev) await ctx.testAccounts.seedDemo()
    app.setErrorHandler((error, request, reply) => sendApiError(error, request, reply))

    const staticDir = opts.staticDir && fs.existsSync(opts.staticDir) ? path.resolve(opts.staticDir) : null
    await registerSecurityHeaders(app, staticDir)
    await app.register(named('readinessRoutes', readinessRoutes(readiness)), { prefix: '/api' })
    await app.register(named('apiPlugin', apiPlugin(ctx, { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits })), { prefix: '/api' })
    await app.register(named('consolePlugin', consolePlugin(ctx)), { prefix: '/console' })

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
    if (opts.metrics) {
      metricsListener = await metrics.listen(opts.metrics.port, opts.metrics.host)
      app.metricsUrl = metricsListener.url
      app.log.info({ metrics: { url: metricsListener.url } }, `metrics at ${metricsListener.url}`)
    }
    notifications.start()
    orgInvitations.start()
  } catch (error) {
    await app.close().catch(() => undefined)
    throw error
  }
  return app
}
