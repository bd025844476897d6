export default definePageConfig({ navigationBarTitleText: 'Product list' })
