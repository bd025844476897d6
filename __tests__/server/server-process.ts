/**
 * The server as its own process (`npm run server`'s program, server/src/main.ts, through tsx), for tests of
 * what only separate processes show: replicas side by side on one database, the first request after a start.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '../..')
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx')

export interface ServerProcess {
  base: string
  process: ChildProcess
  output: string[]
}

/** Starts the server with this environment (only PATH and HOME inherited) and answers its address once it listens. */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['server/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const output: string[] = []
    const timer = setTimeout(() => reject(new Error(`server process did not start:\n${output.join('')}`)), 60_000)
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString())
      const m = /API:\s+(http:\/\/127\.0\.0\.1:\d+)\/api/.exec(output.join(''))
      if (m) {
        clearTimeout(timer)
        resolve({ base: m[1], process: child, output })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`server process exited (${code}):\n${output.join('')}`))
    })
  })
}

export async function stopServerProcess(server: ServerProcess): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return
  await new Promise<void>((resolve) => {
    server.process.once('exit', () => resolve())
    server.process.kill('SIGTERM')
  })
}
