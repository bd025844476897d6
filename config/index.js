/* Taro build configuration: `taro build --type dd` (DingTalk) and `--type h5` (browser preview). */
const path = require('path')

const env = process.env.TARO_ENV
const isProd = process.env.NODE_ENV === 'production'

/**
 * Where the app finds the workspace API. TARO_APP_API_URL wins; the H5 production build is served by
 * the workspace server itself (same origin); the DingTalk build and the dev preview talk to the local server.
 */
// A preview build (POSM_PREVIEW=1: the browser preview and the DingTalk IDE simulator against the local
// server, and the tests) is a production build that keeps development sign-in and may use plain HTTP.
const isPreview = process.env.POSM_PREVIEW === '1'
const isRelease = isProd && !isPreview

function apiBaseUrl() {
  if (process.env.TARO_APP_API_URL !== undefined) return process.env.TARO_APP_API_URL
  if (env === 'h5' && isProd) return ''
  if (isRelease) {
    throw new Error('A release build of the DingTalk app needs its API address: set TARO_APP_API_URL=https://… (or POSM_PREVIEW=1 for the local server).')
  }
  return 'http://127.0.0.1:3100'
}

const API_URL = apiBaseUrl()
if (isRelease && /^http:\/\//i.test(API_URL)) {
  throw new Error(`Refusing a plain-HTTP API address in a release build (${API_URL}): use https:// (or POSM_PREVIEW=1 for the local server).`)
}

/**
 * The DingTalk organisation's corpId, which dd.getAuthCode needs. Development and preview builds fall back to
 * a placeholder (the local server does not check it); a release build of the DingTalk app refuses to guess,
 * and refuses that placeholder or any other `ding-local…` id, which is no organisation's. (The H5 build never
 * asks DingTalk for an auth code.)
 */
const DEV_CORP_ID = 'ding-local-dev-corp'
function ddCorpId() {
  const corpId = (process.env.TARO_APP_DD_CORP_ID || '').trim()
  if (isRelease && env !== 'h5') {
    if (!corpId) {
      throw new Error(
        "A release build of the DingTalk app needs the organisation's corp id: set TARO_APP_DD_CORP_ID=ding… (or POSM_PREVIEW=1 for the local server).",
      )
    }
    if (corpId.startsWith('ding-local')) {
      throw new Error(
        `Refusing the development corp id ${corpId} in a release build: set TARO_APP_DD_CORP_ID to the organisation's corpId (or POSM_PREVIEW=1 for the local server).`,
      )
    }
  }
  return corpId || DEV_CORP_ID
}
const CORP_ID = ddCorpId()

/**
 * The browser preview's build (`build:h5`, which the end-to-end tests run) uses MobX's development build, so
 * that its checks speak up in the browser as they do in `npm run dev` (a `delete` or `in` on an observable
 * object, a change outside an action): the end-to-end harness fails a test on any of them. Release builds, and
 * the bench's start-up builds (POSM_MOBX_CHECKS=0), keep MobX's production build.
 */
const mobxChecks = env === 'h5' && isProd && isPreview && process.env.POSM_MOBX_CHECKS !== '0'

const config = {
  projectName: 'posm-workspace',
  date: '2026-11-25',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
  // `npm run bench` also builds a minimal Taro app (bench/minimal) as the baseline of the H5 start-up
  sourceRoot: process.env.POSM_MINIMAL === '1' ? 'bench/minimal' : 'src',
  outputRoot: process.env.POSM_OUTPUT || `dist/${env}`,
  plugins: ['@tarojs/plugin-platform-alipay-dd'],
  defineConstants: {
    API_BASE_URL: JSON.stringify(API_URL),
    POSM_DEV_SIGNIN: JSON.stringify(!isRelease),
    DD_CORP_ID: JSON.stringify(CORP_ID),
  },
  copy: { patterns: [], options: {} },
  // Non-Latin text (eight of the nine dictionaries) stays UTF-8 instead of \uXXXX escapes: about half the bytes.
  terser: { enable: true, config: { output: { ascii_only: false } } },
  // The DingTalk build renders with Preact (Taro's `preact` framework: react and react-dom are preact/compat), the
  // H5 preview with React. Preact is pinned at 10.13.2, the line Taro 3.6 was made with (later lines misplace
  // elements that appear after the first render, or call DOM methods Taro's DOM lacks: README, "Preact on the
  // phone"). About 85 KB less in the main package than react-dom's reconciler.
  framework: process.env.TARO_ENV === 'h5' ? 'react' : 'preact',
  // Taro's dependency prebundling crashes with this webpack in watch mode; the build is fast without it.
  compiler: { type: 'webpack5', prebundle: { enable: false } },
  cache: { enable: false },
  alias: {
    ...(mobxChecks ? { mobx$: require.resolve('mobx/dist/mobx.esm.development.js') } : {}),
  },
  mini: {
    // Taro moves a module that only subpackages use into each of them (sub-common), so a module that three use is
    // carried three times. The messages of the promotion, results and inspection flows (src/i18n/bundles/work.json,
    // every language, about 27 KB) stay in the main package instead: once, not three times (README, "Package sizes").
    optimizeMainPackage: { enable: true, exclude: [path.resolve(__dirname, '..', 'src', 'i18n', 'bundles', 'work.json')] },
    // the app never sets innerHTML: leave Taro's HTML parser out of the main package
    runtime: { enableInnerHTML: false },
    // `npm run bench` builds with hidden source maps to attribute package bytes to modules
    enableSourceMap: process.env.POSM_SOURCEMAP === '1',
    sourceMapType: 'hidden-source-map',
    // the contract package (packages/contract) lives outside src and is compiled with the app; so is every dependency
    compile: { include: [path.resolve(__dirname, '..', 'packages', 'contract'), path.resolve(__dirname, '..', 'node_modules')] },
    postcss: {
      pxtransform: { enable: true, config: {} },
      url: { enable: true, config: { limit: 1024 } },
      cssModules: { enable: false },
    },
  },
  h5: {
    // `POSM_SOURCEMAP=1` (the bench, profiling): hidden source maps to attribute time and bytes to modules
    enableSourceMap: process.env.POSM_SOURCEMAP === '1',
    sourceMapType: 'hidden-source-map',
    publicPath: '/',
    staticDirectory: 'static',
    router: { mode: 'hash' },
    compile: { include: [path.resolve(__dirname, '..', 'packages', 'contract')] },
    devServer: { host: '127.0.0.1', port: Number(process.env.H5_PORT || 10086) },
    postcss: {
      autoprefixer: { enable: true, config: {} },
      cssModules: { enable: false },
    },
  },
}

module.exports = function (merge) {
  if (!isProd) return merge({}, config, require('./dev'))
  return merge({}, config, require('./prod'))
}
