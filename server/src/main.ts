import fs from 'node:fs'
import { buildServer } from './app'
import { loadConfig } from './config'

async function main(): Promise<void> {
  const config = loadConfig()
  const app = await buildServer({
    dbPath: config.dbPath,
    dev: config.dev,
    consoleAuth: config.consoleAuth,
    staticDir: config.staticDir,
    sessionTtlMinutes: config.sessionTtlMinutes,
    demoStaffId: config.demoStaffId,
    uploadDir: config.uploadDir,
    maxUploadBytes: config.maxUploadBytes,
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
  const usesDevCredentials = config.consoleAuth?.user === 'console' && config.consoleAuth.password === 'console'
  const lines = [
    `POSM Workspace server (${config.dev ? 'development mode' : 'production mode'})`,
    `  database: ${config.dbPath}`,
    `  uploads:  ${config.uploadDir} (photos up to ${config.maxUploadBytes} bytes)`,
    `  API:      ${base}/api`,
    config.consoleAuth
      ? `  console:  ${base}/console${usesDevCredentials ? ' (user "console", password "console")' : ''}`
      : `  console:  ${base}/console (disabled: set CONSOLE_USER and CONSOLE_PASSWORD)`,
    fs.existsSync(config.staticDir) ? `  H5 app:   ${base}/` : `  H5 app:   not built (${config.staticDir} missing; npm run build:h5)`,
  ]
  if (!config.dev) lines.push('  note: DingTalk code exchange is not configured; sign-in needs WORKSPACE_DEV=1')
  console.log(lines.join('\n'))
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
