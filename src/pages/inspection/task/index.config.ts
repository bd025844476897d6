export default definePageConfig({ navigationBarTitleText: 'Spot Inspection' })
