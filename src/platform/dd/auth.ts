import type { AuthPort } from '../types'
import { call, native } from './native'

/** dd.getAuthCode needs the organisation's corpId; the code is valid for 5 minutes and usable once. */
export function createDdAuth(corpId: string): AuthPort {
  return {
    kind: 'dingtalk',
    corpId,
    async getAuthCode() {
      const res = await call(native().getAuthCode, { corpId })
      const code = res.authCode ?? res.code
      if (!code) throw new Error('DingTalk returned no auth code')
      return code
    },
  }
}
