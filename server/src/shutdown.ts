/**
 * Stopping under a supervisor (systemd, Kubernetes, …): on SIGTERM or SIGINT the server logs that it stops,
 * stops accepting connections (idle keep-alive connections are closed; a request arriving on a busy one is
 * answered 503), lets the requests in flight finish for up to the deadline (SHUTDOWN_DEADLINE_SECONDS), then
 * cuts the ones still running, closes the database and the photo store, logs how it ended and exits: 0 when
 * every request finished, 1 when some had to be cut (or closing failed).
 */
import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'

export interface ShutdownOptions {
  /** How long the requests in flight may take once the signal came. */
  deadlineMs: number
  /** process.exit, by default. */
  exit?: (code: number) => void
  /** Should closing hang even after the requests were cut (a database that does not answer): exit 1 this long after the deadline. */
  hardStopAfterMs?: number
}

/** Counts the requests in flight from now on and stops the server gracefully on SIGTERM and SIGINT. */
export function manageShutdown(app: FastifyInstance, options: ShutdownOptions): { stop(signal: string): Promise<number> } {
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const inFlight = new Set<ServerResponse>()
  // on the raw server: a request counts from its first line, whatever its body still has to arrive
  app.server.on('request', (_request, response: ServerResponse) => {
    inFlight.add(response)
    response.once('close', () => inFlight.delete(response))
  })

  let stopping: Promise<number> | null = null
  const stop = (signal: string): Promise<number> => {
    if (stopping) {
      app.log.warn(
        { shutdown: { signal, inFlight: inFlight.size } },
        `${signal} while stopping: still waiting for ${inFlight.size} request(s), at most until the deadline`,
      )
      return stopping
    }
    const started = Date.now()
    const deadlineSeconds = options.deadlineMs / 1000
    app.log.info(
      { shutdown: { signal, inFlight: inFlight.size, deadlineSeconds } },
      `${signal}: stopping; no new connections, ${inFlight.size} request(s) in flight may take up to ${deadlineSeconds} s (SHUTDOWN_DEADLINE_SECONDS)`,
    )
    let cut = 0
    const deadline = setTimeout(() => {
      cut = inFlight.size
      if (cut > 0) {
        app.log.warn(
          { shutdown: { signal, cut, deadlineSeconds } },
          `shutdown deadline of ${deadlineSeconds} s reached: cutting ${cut} request(s) still in flight`,
        )
      }
      app.server.closeAllConnections()
    }, options.deadlineMs)
    const hardStop = setTimeout(
      () => {
        app.log.error({ shutdown: { signal } }, 'the server did not finish closing after the requests were cut; exiting')
        exit(1)
      },
      options.deadlineMs + (options.hardStopAfterMs ?? 10_000),
    )
    hardStop.unref()
    stopping = app.close().then(
      () => {
        clearTimeout(deadline)
        clearTimeout(hardStop)
        const ms = Date.now() - started
        if (cut > 0) app.log.warn({ shutdown: { signal, cut, ms } }, `stopped after ${ms} ms; ${cut} request(s) were cut at the deadline`)
        else app.log.info({ shutdown: { signal, cut: 0, ms } }, `stopped after ${ms} ms; every request in flight finished`)
        const code = cut > 0 ? 1 : 0
        exit(code)
        return code
      },
      (error: unknown) => {
        clearTimeout(deadline)
        clearTimeout(hardStop)
        app.log.error({ err: error, shutdown: { signal } }, 'stopping failed')
        exit(1)
        return 1
      },
    )
    return stopping
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal))
  return { stop }
}
