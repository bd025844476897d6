export default definePageConfig({
  navigationBarTitleText: 'Working language',
  // DingTalk: the native components of src/native (see src/components/live-text.tsx). Only this page, where
  // the language changes in front of the staff member, uses them: DingTalk makes a page that declares
  // native components carry its own copy of Taro's base template (about 10 KB).
  usingComponents: { 'posm-text': '../../native/posm-text/index', 'posm-lang-list': '../../native/posm-lang-list/index' },
})
