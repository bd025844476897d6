import type { LightMyRequestResponse } from 'fastify'
import type { BuildServerOptions } from '../../server/src/app'
import type { FakeDingTalk } from '../helpers/fake-dingtalk'
import { startTestServer, type TestServer } from './helpers'

export interface DingTalkTestServer extends TestServer {
  /** Every line the server logged (Fastify's JSON lines). */
  logs: string[]
  /** Signs in with a code the fake issued for the member (as dd.getAuthCode would give it). */
  signInAs(userid: string, opts?: { locale?: string; corpId?: string }): Promise<LightMyRequestResponse>
}

/** A workspace server that talks to the fake DingTalk (production mode unless told), its log captured. */
export async function startWithDingTalk(fake: FakeDingTalk, overrides: Partial<BuildServerOptions> = {}): Promise<DingTalkTestServer> {
  const logs: string[] = []
  const server = await startTestServer({
    dev: false,
    dingtalk: fake.settings(),
    dingtalkClient: { retryDelaysMs: [20, 50] },
    logger: { level: 'info', stream: { write: (line: string) => logs.push(line) } },
    ...overrides,
  })
  return {
    ...server,
    logs,
    signInAs(userid, opts = {}) {
      return server.api('POST', '/api/auth/dingtalk', {
        body: { authCode: fake.issueCode(userid), corpId: opts.corpId ?? fake.corpId },
        headers: opts.locale ? { 'x-workspace-locale': opts.locale } : {},
      })
    },
  }
}

/** Checks that no captured line holds the app secret or an access token the fake issued. */
export function expectNoSecrets(text: string, fake: FakeDingTalk): void {
  expect(text).not.toContain(fake.appSecret)
  for (const token of fake.issuedTokens) expect(text).not.toContain(token)
}
