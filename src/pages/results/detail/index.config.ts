export default definePageConfig({ navigationBarTitleText: 'Review details' })
