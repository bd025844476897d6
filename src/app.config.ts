export default defineAppConfig({
  pages: ['pages/index/index', 'pages/language/index', 'pages/me/index', 'pages/signin/index'],
  // Flows that are not on the first screen load on demand, as subpackages. Associate ISO keeps its path
  // (pages/associate/index, the ISO QR deep link) as the single page of its own subpackage.
  subPackages: [
    { root: 'pages/associate', pages: ['index'] },
    { root: 'pages/promotion', pages: ['wizard/index', 'drafts/index', 'verify/index'] },
    { root: 'pages/results', pages: ['index', 'detail/index', 'appeal/index'] },
    { root: 'pages/inspection', pages: ['tasks/index', 'task/index'] },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: 'POSM Workspace',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f7',
  },
})
