import type { AuthPort } from '../types'

/** The browser preview is not inside DingTalk: there is no auth code; the app offers development sign-in. */
export function createH5Auth(): AuthPort {
  return {
    kind: 'none',
    corpId: null,
    getAuthCode() {
      return Promise.reject(new Error('DingTalk auth codes exist only inside DingTalk'))
    },
  }
}
