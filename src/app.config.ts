/**
 * The pages. Flows that are not on the first screen load on demand, as subpackages (the default); Associate ISO
 * keeps its path (pages/associate/index, the ISO QR deep link) as the single page of its own subpackage.
 * `POSM_DD_SUBPACKAGES=0` at build time lists every page in the main package instead: the same app as one package
 * (under DingTalk's 2 MB), for a DingTalk client that does not load subpackages (README: "Subpackages or one
 * package"). The page paths are the same either way.
 */
const MAIN_PAGES = ['pages/index/index', 'pages/language/index', 'pages/me/index', 'pages/signin/index']
const SUBPACKAGES = [
  { root: 'pages/associate', pages: ['index'] },
  { root: 'pages/promotion', pages: ['wizard/index', 'drafts/index', 'verify/index'] },
  { root: 'pages/results', pages: ['index', 'detail/index', 'appeal/index'] },
  { root: 'pages/inspection', pages: ['tasks/index', 'task/index'] },
]
// read when the build reads this file (Node), never in the app
const onePackage = process.env.POSM_DD_SUBPACKAGES === '0'

export default defineAppConfig({
  pages: onePackage ? [...MAIN_PAGES, ...SUBPACKAGES.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))] : MAIN_PAGES,
  ...(onePackage ? {} : { subPackages: SUBPACKAGES }),
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: 'POSM Workspace',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f7',
  },
})
