export default definePageConfig({ navigationBarTitleText: 'Associate ISO' })
