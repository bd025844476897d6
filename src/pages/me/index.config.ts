export default definePageConfig({
  navigationBarTitleText: 'Me',
  // DingTalk: the bottom navigation's labels are native components (see src/components/live-text.tsx)
  usingComponents: { 'posm-text': '../../native/posm-text/index' },
})
