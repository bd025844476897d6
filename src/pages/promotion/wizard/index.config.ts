export default definePageConfig({ navigationBarTitleText: 'Promotion' })
