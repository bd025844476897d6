export default definePageConfig({ navigationBarTitleText: 'Review results' })
