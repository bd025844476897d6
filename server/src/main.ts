import fs from 'node:fs'
import { buildServer } from './app'
import { databaseForDisplay, loadConfig, startProblem } from './config'
import { manageShutdown } from './shutdown'
import { runStartupChecks, StartupCheckError } from './startup-checks'
import { createS3Store } from './storage/s3'

/**
 * Production writes only JSON lines to standard output (the logger's): Node's warnings, such as the AWS SDK's
 * several-line NodeVersionSupportWarning, are held until the logger exists and then logged as one line each,
 * instead of Node printing them as text on standard error.
 */
const heldWarnings: Error[] = []
let logWarning: ((warning: Error) => void) | null = null
process.removeAllListeners('warning')
process.on('warning', (warning: Error) => (logWarning ? logWarning(warning) : heldWarnings.push(warning)))

async function main(): Promise<void> {
  const config = loadConfig()
  const problem = startProblem(config)
  if (problem) throw new Error(problem)
  // photos in a bucket (S3_BUCKET …) when configured, else in the upload folder
  const photoStore = config.photoBucket ? createS3Store(config.photoBucket) : undefined
  // before anything listens or touches the database: DingTalk's access token and the bucket (STARTUP_CHECKS)
  let checked: string[] | null = null
  if (config.startupChecks) {
    try {
      checked = await runStartupChecks({ dingtalk: config.dingtalk, bucket: config.photoBucket, photoStore })
    } catch (error) {
      photoStore?.close()
      throw error
    }
  }
  const app = await buildServer({
    dbPath: config.dbPath,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    dev: config.dev,
    rateLimits: config.rateLimits,
    staticDir: config.staticDir,
    sessionTtlMinutes: config.sessionTtlMinutes,
    demoStaffId: config.demoStaffId,
    uploadDir: config.uploadDir,
    photoStore,
    maxUploadBytes: config.maxUploadBytes,
    dingtalk: config.dingtalk,
    testAccountKey: config.testAccountKey,
    miniAppId: config.miniAppId ?? undefined,
    notifications: { consoleUrl: config.consoleUrl },
    metrics: config.metrics,
    logger: { level: config.logLevel ?? 'info' },
    trustProxy: config.trustProxy,
    payments: { settings: config.payments, windowMinutes: config.payments.windowMinutes },
    marketingCodes: config.marketingCodes ?? undefined,
    evidence: config.evidence,
    photoQuality: config.photoQuality,
  })
  logWarning = (warning) =>
    app.log.warn({ warning: { name: warning.name, code: (warning as { code?: string }).code } }, warning.message.replace(/\s*\n\s*/g, ' '))
  for (const warning of heldWarnings.splice(0)) logWarning(warning)
  if (checked) {
    app.log.info(
      { startupChecks: checked },
      checked.length ? `start-up checks passed: ${checked.join('; ')}` : 'start-up checks: nothing to check (no DingTalk app, photos in the folder)',
    )
  } else app.log.warn({ startupChecks: 'skipped' }, 'start-up checks skipped (STARTUP_CHECKS=off): DingTalk and the photo bucket are not checked')

  manageShutdown(app, { deadlineMs: config.shutdownDeadlineSeconds * 1000 })

  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = address && typeof address === 'object' ? address.port : config.port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const base = `http://${host}:${port}`
  const banner = {
    mode: config.dev ? 'development' : 'production',
    database: databaseForDisplay(config),
    photos: `${photoStore ? photoStore.describe() : config.uploadDir} (up to ${config.maxUploadBytes} bytes each)`,
    api: `${base}/api`,
    console: config.dev
      ? `${base}/console (development accounts: console, lioncity, nusantara, coordinator, alipay; password "console")`
      : `${base}/console (accounts: npm run console:user -- list)`,
    h5: fs.existsSync(config.staticDir) ? `${base}/` : `not built (${config.staticDir} missing; npm run build:h5)`,
    dingtalk: config.dingtalk
      ? `${config.dingtalk.apiBase}, organisation ${config.dingtalk.corpId}, agent ${config.dingtalk.agentId} (sign-in, membership, work notifications), ${config.dingtalk.callsPerSecond} calls per second and API`
      : 'not configured (development sign-in and dev auth codes; work notifications are logged as skipped)',
    // whether a key is set, never the key
    testAccounts: `passwords encrypted with ${config.testAccountKey ? 'TEST_ACCOUNT_KEY' : 'the public development key (TEST_ACCOUNT_KEY unset)'}`,
    shutdownDeadlineSeconds: config.shutdownDeadlineSeconds,
  }
  if (config.dev) {
    // development: the banner as text, for the person at the terminal
    const lines = [
      'POSM Workspace server (development mode)',
      `  database: ${banner.database}`,
      `  photos:   ${banner.photos}`,
      `  API:      ${banner.api}`,
      `  console:  ${banner.console}`,
      `  H5 app:   ${banner.h5}`,
      `  DingTalk: ${banner.dingtalk}`,
      `  test accounts: ${banner.testAccounts}`,
    ]
    console.log(lines.join('\n'))
  } else {
    // production: one JSON line like every other (its message names the API address, as the text banner did)
    app.log.info({ banner }, `POSM Workspace server (production mode) listening; API: ${banner.api}`)
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof StartupCheckError || error instanceof Error ? error.message : error)
  process.exit(1)
})
