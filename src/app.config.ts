export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/language/index',
    'pages/me/index',
    'pages/associate/index',
    'pages/signin/index',
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: 'POSM Workspace',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f7',
  },
})
