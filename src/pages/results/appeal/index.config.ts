export default definePageConfig({ navigationBarTitleText: 'Appeal' })
