export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/language/index',
    'pages/me/index',
    'pages/associate/index',
    'pages/signin/index',
    'pages/promotion/wizard/index',
    'pages/promotion/drafts/index',
    'pages/promotion/verify/index',
    'pages/results/index',
    'pages/results/detail/index',
    'pages/results/appeal/index',
    'pages/inspection/tasks/index',
    'pages/inspection/task/index',
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: 'POSM Workspace',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f7',
  },
})
