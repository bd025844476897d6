export default definePageConfig({ navigationBarTitleText: 'Working language' })
