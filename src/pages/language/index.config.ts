export default definePageConfig({
  navigationBarTitleText: 'Working language',
  // DingTalk: the native components of src/native (see src/components/live-text.tsx)
  usingComponents: { 'posm-text': '../../native/posm-text/index', 'posm-lang-list': '../../native/posm-lang-list/index' },
})
