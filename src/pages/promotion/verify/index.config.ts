export default definePageConfig({ navigationBarTitleText: 'Verify the payment' })
