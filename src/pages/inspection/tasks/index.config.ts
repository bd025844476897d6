export default definePageConfig({ navigationBarTitleText: 'Verification Tasks' })
