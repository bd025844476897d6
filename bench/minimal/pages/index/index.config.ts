export default definePageConfig({ navigationBarTitleText: 'Minimal' })
