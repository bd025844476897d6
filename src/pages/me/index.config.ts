export default definePageConfig({ navigationBarTitleText: 'Me' })
