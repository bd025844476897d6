/**
 * Under a supervisor: the documented start command is signalled (npm's process for `npm start`, node's for the
 * direct command), never the server process inside it. The server logs that it stops, stops accepting, lets the
 * requests in flight finish up to SHUTDOWN_DEADLINE_SECONDS, cuts the rest, and exits 0 (all finished) or 1 (some
 * cut); nothing is left running. In production standard output holds only JSON lines.
 */
import net from 'node:net'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { testDatabaseIn, type TestDatabase } from './engine'
import { tempDir } from './helpers'
import { alive, apiBase, COMMANDS, jsonLines, productionEnv, spawnCommand, waitFor, type StartedProcess } from './production-process'

jest.setTimeout(120_000)

/** A sign-in whose body arrives in two parts: the server has the request in flight until the second part comes. */
function slowSignIn(base: string, authCode: string, corpId: string) {
  const body = JSON.stringify({ authCode, corpId })
  const half = Math.floor(body.length / 2)
  const socket = net.connect(Number(new URL(base).port), '127.0.0.1')
  let answer = ''
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(answer)))
  socket.on('error', () => undefined)
  socket.write(
    `POST /api/auth/dingtalk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
  )
  return {
    finish: () => socket.write(body.slice(half)),
    answer: () => answer,
    closed,
    end: () => socket.destroy(),
  }
}

const messages = (started: StartedProcess) => jsonLines(started.stdout()).map((line) => String(line.msg))

describe('stopping the production server through its documented command', () => {
  let fake: FakeDingTalk
  let dir: string
  let cleanup: () => void
  let database: TestDatabase
  let started: StartedProcess | null = null

  beforeEach(async () => {
    fake = await new FakeDingTalk().start()
    fake.addMember({ userid: 'u-siti', name: 'Siti Nurhaliza', stateCode: '60', mobile: '123456789', deptIds: [1] })
    ;({ dir, cleanup } = tempDir())
    database = testDatabaseIn(dir)
  })

  afterEach(async () => {
    if (started && started.child.exitCode === null && started.child.signalCode === null) {
      started.child.kill('SIGKILL')
      await started.exited
    }
    started = null
    await fake.stop()
    await database.drop()
    cleanup()
  })

  it('`npm start`: SIGTERM to npm reaches the server, which finishes the request in flight, logs its stop, exits 0 and leaves no process behind', async () => {
    started = spawnCommand(COMMANDS.npmStart, { ...productionEnv(fake, dir), ...database.env() })
    await waitFor(started, 'the listening line', () => apiBase(started!.stdout()) !== null)
    const base = apiBase(started.stdout())!
    const serverPid = Number(jsonLines(started.stdout()).find((line) => typeof line.pid === 'number')?.pid)
    expect(serverPid).toBeGreaterThan(0)

    const request = slowSignIn(base, fake.issueCode('u-siti'), fake.corpId)
    await new Promise((resolve) => setTimeout(resolve, 500))
    const signalledAt = Date.now()
    started.child.kill('SIGTERM') // npm's process, as a supervisor would
    await waitFor(started, 'the shutdown line', () => messages(started!).some((m) => m.startsWith('SIGTERM: stopping')))
    const stopping = jsonLines(started.stdout()).find((line) => String(line.msg).startsWith('SIGTERM: stopping'))!
    expect(stopping.shutdown).toEqual({ signal: 'SIGTERM', inFlight: 1, deadlineSeconds: 25 })

    // no new connection is taken while the request in flight finishes
    await expect(fetch(`${base}/api/health`)).rejects.toThrow()
    request.finish()
    await waitFor(started, 'the answer to the request in flight', () => /\r\n\r\n\{.*\}/.test(request.answer()), 10_000)
    request.end()
    expect(request.answer()).toMatch(/^HTTP\/1\.1 200/)
    expect(JSON.parse(request.answer().split('\r\n\r\n')[1])).toMatchObject({ token: expect.any(String), staff: { name: 'Siti Nurhaliza' } })

    expect(await started.exited).toBe(0)
    expect(Date.now() - signalledAt).toBeLessThan(20_000)
    expect(messages(started)).toContainEqual(expect.stringMatching(/^stopped after \d+ ms; every request in flight finished$/))
    // the server process is gone with npm: no orphan
    expect(alive(serverPid)).toBe(false)
    // standard output: JSON lines only (npm's own lines are silenced by --silent, the banner is one of them)
    const lines = jsonLines(started.stdout())
    expect(lines.find((line) => String(line.msg).includes('listening; API:'))).toMatchObject({
      banner: { mode: 'production', api: `${base}/api`, shutdownDeadlineSeconds: 25 },
    })
    expect(started.stdout() + started.stderr()).not.toContain(fake.appSecret)
  })

  it('`node --import tsx server/src/main.ts`: a request still in flight at SHUTDOWN_DEADLINE_SECONDS is cut, logged, and the exit code is 1', async () => {
    started = spawnCommand(COMMANDS.node, { ...productionEnv(fake, dir), ...database.env(), SHUTDOWN_DEADLINE_SECONDS: '2' })
    await waitFor(started, 'the listening line', () => apiBase(started!.stdout()) !== null)
    const base = apiBase(started.stdout())!

    // a client that never sends the rest of its body
    const request = slowSignIn(base, fake.issueCode('u-siti'), fake.corpId)
    await new Promise((resolve) => setTimeout(resolve, 500))
    const signalledAt = Date.now()
    started.child.kill('SIGTERM')

    const code = await started.exited
    const took = Date.now() - signalledAt
    expect(code).toBe(1)
    // the deadline, not the client, decided when it stopped
    expect(took).toBeGreaterThanOrEqual(1_900)
    expect(took).toBeLessThan(12_000)
    await request.closed
    expect(request.answer()).toBe('')
    const lines = jsonLines(started.stdout())
    expect(lines.find((line) => String(line.msg).startsWith('SIGTERM: stopping'))).toMatchObject({ shutdown: { inFlight: 1, deadlineSeconds: 2 } })
    expect(lines.find((line) => String(line.msg).startsWith('shutdown deadline'))).toMatchObject({
      level: 40,
      shutdown: { cut: 1 },
      msg: 'shutdown deadline of 2 s reached: cutting 1 request(s) still in flight',
    })
    expect(messages(started)).toContainEqual(expect.stringMatching(/^stopped after \d+ ms; 1 request\(s\) were cut at the deadline$/))
  })

  it('`npm run server` (through tsx’s command): SIGTERM to npm stops the server too, its stop logged, exit 0', async () => {
    started = spawnCommand(COMMANDS.npmRunServer, { ...productionEnv(fake, dir), ...database.env() })
    await waitFor(started, 'the listening line', () => apiBase(started!.stdout()) !== null)
    const serverPid = Number(jsonLines(started.stdout()).find((line) => typeof line.pid === 'number')?.pid)
    started.child.kill('SIGTERM')
    expect(await started.exited).toBe(0)
    expect(messages(started)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^SIGTERM: stopping/), expect.stringMatching(/^stopped after \d+ ms; every request in flight finished$/)]),
    )
    expect(alive(serverPid)).toBe(false)
  })

  it('refuses a SHUTDOWN_DEADLINE_SECONDS that is not a whole number of seconds, naming it', async () => {
    started = spawnCommand(COMMANDS.node, { ...productionEnv(fake, dir), ...database.env(), SHUTDOWN_DEADLINE_SECONDS: '25s' })
    expect(await started.exited).toBe(1)
    expect(started.stderr().trim()).toBe('SHUTDOWN_DEADLINE_SECONDS must be a whole number between 0 and 3600 (got "25s")')
  })
})
