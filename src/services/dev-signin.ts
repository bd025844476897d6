/**
 * Development sign-in (the browser preview signs in as a seeded staff member). It exists only in
 * development and preview builds: the build constant is false in a release build, and the minifier then
 * drops this code, so no development-only path is in a released package (a test reads the built files).
 */
import type { DevStaffOption, SessionInfo } from '../../packages/contract/api'
import type { ApiClient } from './api-client'

export interface DevSignIn {
  staff(api: ApiClient): Promise<DevStaffOption[]>
  signIn(api: ApiClient, staffId: string): Promise<SessionInfo>
}

export const devSignIn: DevSignIn | null =
  typeof POSM_DEV_SIGNIN !== 'undefined' && POSM_DEV_SIGNIN
    ? {
        staff: async (api) => (await api.call('GET /api/auth/dev/staff')).staff,
        signIn: (api, staffId) => api.call('POST /api/auth/dev', { staffId }),
      }
    : null
