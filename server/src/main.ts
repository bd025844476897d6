import fs from 'node:fs'
import { buildServer } from './app'
import { databaseForDisplay, loadConfig, startProblem } from './config'
import { createS3Store } from './storage/s3'

async function main(): Promise<void> {
  const config = loadConfig()
  const problem = startProblem(config)
  if (problem) throw new Error(problem)
  // photos in a bucket (S3_BUCKET …) when configured, else in the upload folder
  const photoStore = config.photoBucket ? createS3Store(config.photoBucket) : undefined
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
    marketingCodes: config.marketingCodes ?? undefined,
    logger: true,
  })

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info(`${signal}: closing`)
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))

  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = address && typeof address === 'object' ? address.port : config.port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const base = `http://${host}:${port}`
  const lines = [
    `POSM Workspace server (${config.dev ? 'development mode' : 'production mode'})`,
    `  database: ${databaseForDisplay(config)}`,
    `  photos:   ${photoStore ? photoStore.describe() : config.uploadDir} (up to ${config.maxUploadBytes} bytes each)`,
    `  API:      ${base}/api`,
    config.dev
      ? `  console:  ${base}/console (development accounts: console, lioncity, nusantara, coordinator, alipay; password "console")`
      : `  console:  ${base}/console (accounts: npm run console:user -- list)`,
    fs.existsSync(config.staticDir) ? `  H5 app:   ${base}/` : `  H5 app:   not built (${config.staticDir} missing; npm run build:h5)`,
    config.dingtalk
      ? `  DingTalk: ${config.dingtalk.apiBase}, organisation ${config.dingtalk.corpId}, agent ${config.dingtalk.agentId} (sign-in, membership, work notifications)`
      : '  DingTalk: not configured (development sign-in and dev auth codes; work notifications are logged as skipped)',
    // whether a key is set, never the key
    `  test accounts: passwords encrypted with ${config.testAccountKey ? 'TEST_ACCOUNT_KEY' : 'the public development key (TEST_ACCOUNT_KEY unset)'}`,
  ]
  console.log(lines.join('\n'))
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
