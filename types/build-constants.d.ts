/**
 * The constants the build writes into the app (config/index.js, `defineConstants`). Absent where the code runs
 * unbuilt (Jest), so each reader checks `typeof` first. ESLint lets src/platform/config.ts read the first two and
 * src/services/dev-signin.ts the last one, nothing else.
 */

/** Base URL of the workspace API ('' or absent: the H5 page's own origin). */
declare const API_BASE_URL: string
/** The DingTalk organisation's corpId (dd.getAuthCode). */
declare const DD_CORP_ID: string
/** Development and preview builds: the development sign-in exists (false in a release build, which then drops it). */
declare const POSM_DEV_SIGNIN: boolean
