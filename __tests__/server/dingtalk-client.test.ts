/**
 * The DingTalk client (server/src/dingtalk/client.ts) against the fake of DingTalk's server API: the access
 * token cached, renewed early and once however many calls wait, renewed again when DingTalk refuses it;
 * timeouts and retries; every errcode the workspace acts on; no secret or token in what it logs.
 */
import { createDingTalkClient } from '../../server/src/dingtalk/client'
import { DingTalkError, type DingTalkPort } from '../../server/src/dingtalk/port'
import { FakeDingTalk } from '../helpers/fake-dingtalk'

let fake: FakeDingTalk
const logged: string[] = []

beforeEach(async () => {
  fake = await new FakeDingTalk().start()
  fake.addMember({ userid: 'u-siti', name: 'Siti Nurhaliza', stateCode: '60', mobile: '123456789', deptIds: [1, 42] })
  logged.length = 0
})
afterEach(async () => {
  await fake.stop()
})

function client(overrides: { appSecret?: string; now?: () => number; timeoutMs?: number; corpId?: string } = {}): DingTalkPort {
  return createDingTalkClient(fake.settings({ appSecret: overrides.appSecret, timeoutMs: overrides.timeoutMs ?? 1000, corpId: overrides.corpId }), {
    retryDelaysMs: [20, 50],
    now: overrides.now,
    log: (level, event, message) => logged.push(`${level} ${JSON.stringify(event)} ${message}`),
  })
}

async function failure(promise: Promise<unknown>): Promise<DingTalkError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(DingTalkError)
    return error as DingTalkError
  }
  throw new Error('expected the call to fail')
}

function expectNoSecretLogged(): void {
  const text = logged.join('\n')
  expect(text).not.toContain(fake.appSecret)
  for (const token of fake.issuedTokens) expect(text).not.toContain(token)
}

describe('the access token', () => {
  it('is fetched once for twenty concurrent sign-ins, then reused', async () => {
    // a generous timeout: a code works once, so a retry after a slow answer on a loaded machine would fail with 40078
    const dd = client({ timeoutMs: 10_000 })
    const codes = Array.from({ length: 20 }, () => fake.issueCode('u-siti'))
    const ids = await Promise.all(codes.map((c) => dd.userIdByAuthCode(c)))
    expect(ids).toEqual(Array(20).fill('u-siti'))
    expect(fake.count('gettoken')).toBe(1)
    await dd.user('u-siti')
    expect(fake.count('gettoken')).toBe(1)
    // paced under DingTalk's 20 calls per second and API: none was refused for its frequency
    expect(logged.join('\n')).not.toContain('90018')
  })

  it('is renewed a few minutes before its 7,200 s run out, not after', async () => {
    let now = Date.now()
    const dd = client({ now: () => now })
    await dd.user('u-siti')
    now += (7200 - 6 * 60) * 1000
    await dd.user('u-siti')
    expect(fake.count('gettoken')).toBe(1)
    now += 2 * 60 * 1000 // 4 minutes left
    await dd.user('u-siti')
    expect(fake.count('gettoken')).toBe(2)
  })

  it('expired at DingTalk mid-run (42001): renewed once for twenty waiting calls, which all succeed', async () => {
    const dd = client()
    await dd.user('u-siti')
    fake.expireTokens()
    const results = await Promise.all(Array.from({ length: 20 }, () => dd.user('u-siti')))
    expect(results.every((u) => u.name === 'Siti Nurhaliza')).toBe(true)
    expect(fake.count('gettoken')).toBe(2)
    expectNoSecretLogged()
  })

  it('with a wrong app secret: misconfigured, and neither message nor log holds the secret', async () => {
    const wrong = 'wrong-secret-abcdef'
    const error = await failure(client({ appSecret: wrong }).user('u-siti'))
    expect(error.kind).toBe('misconfigured')
    expect(error.errcode).toBe(40089)
    expect(error.message).not.toContain(wrong)
    expect(logged.join('\n')).not.toContain(wrong)
  })
})

describe('sign-in codes and members', () => {
  it('answers the member behind a code, and their details with the mobile number in international form', async () => {
    const dd = client()
    expect(await dd.userIdByAuthCode(fake.issueCode('u-siti'))).toBe('u-siti')
    expect(await dd.user('u-siti')).toEqual({ userId: 'u-siti', name: 'Siti Nurhaliza', mobile: '+60123456789', departmentIds: [1, 42] })
  })

  it('without the mobile permission DingTalk leaves the number out', async () => {
    fake.mobilePermission = false
    expect((await client().user('u-siti')).mobile).toBeNull()
  })

  it.each([
    ['used twice', (code: string) => code, true],
    ['expired after 5 minutes', (code: string) => code, false],
    ['unknown', () => 'no-such-code', false],
  ])('refuses a code %s (40078: code-invalid)', async (name, pick, useFirst) => {
    const dd = client()
    const code = fake.issueCode('u-siti')
    if (useFirst) await dd.userIdByAuthCode(code)
    if (name.startsWith('expired')) fake.advance(5 * 60_000 + 1000)
    const error = await failure(dd.userIdByAuthCode(pick(code)))
    expect(error).toMatchObject({ kind: 'code-invalid', errcode: 40078 })
  })

  it('refuses a code of another organisation', async () => {
    const error = await failure(client().userIdByAuthCode(fake.issueCode('u-siti', 'ding-other-corp')))
    expect(error.kind).toBe('code-invalid')
  })

  it('a member outside the organisation is not found (60121)', async () => {
    const error = await failure(client().user('u-nobody'))
    expect(error).toMatchObject({ kind: 'user-not-found', errcode: 60121 })
  })
})

describe('faults', () => {
  it('tries again after 5xx and "system busy", and succeeds', async () => {
    fake.fail('user/get', '5xx', 1)
    fake.fail('user/get', 'busy', 1)
    expect((await client().user('u-siti')).name).toBe('Siti Nurhaliza')
    expect(fake.count('user/get')).toBe(3)
  })

  it('gives up after its retries when DingTalk keeps failing: unavailable', async () => {
    fake.fail('user/get', '5xx', 10)
    const error = await failure(client().user('u-siti'))
    expect(error.kind).toBe('unavailable')
    expect(fake.count('user/get')).toBe(3)
  })

  it('does not wait for a request that never answers: a timeout, then a new attempt', async () => {
    fake.fail('user/get', 'hang', 1)
    const started = Date.now()
    expect((await client({ timeoutMs: 300 }).user('u-siti')).name).toBe('Siti Nurhaliza')
    expect(Date.now() - started).toBeLessThan(3000)
    expect(logged.join('\n')).toMatch(/no answer within 300 ms/)
  })

  it('waits at least a second after DingTalk’s frequency limit (90018), then succeeds', async () => {
    fake.fail('user/get', 'rate-limit', 1)
    const started = Date.now()
    expect((await client().user('u-siti')).name).toBe('Siti Nurhaliza')
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
  })

  it('the frequency limit that does not end: rate-limited', async () => {
    fake.fail('user/get', 'rate-limit', 10)
    expect((await failure(client().user('u-siti'))).kind).toBe('rate-limited')
  }, 15000)
})

describe('work notifications', () => {
  it('sends an action card to one member with the app’s agent id', async () => {
    const taskId = await client().sendActionCard('u-siti', {
      title: 'T',
      markdown: '### T\n\nbody',
      singleTitle: 'Open',
      singleUrl: 'eapp://pages/index/index',
    })
    expect(taskId).toMatch(/^\d+$/)
    expect(fake.messages).toEqual([
      expect.objectContaining({
        userid: 'u-siti',
        agentId: fake.agentId,
        delivered: true,
        msg: { msgtype: 'action_card', action_card: { title: 'T', markdown: '### T\n\nbody', single_title: 'Open', single_url: 'eapp://pages/index/index' } },
      }),
    ])
    expectNoSecretLogged()
  })
})
