/** Build-time settings (config/index.js defines them; declared in types/build-constants.d.ts). */

export interface AppConfig {
  /** Base URL of the workspace API; '' means the same origin as the H5 page. */
  apiBaseUrl: string
  /** The DingTalk organisation's corpId, needed by getAuthCode. */
  corpId: string
}

export const appConfig: AppConfig = {
  apiBaseUrl: typeof API_BASE_URL === 'string' ? API_BASE_URL : '',
  corpId: typeof DD_CORP_ID === 'string' ? DD_CORP_ID : '',
}
