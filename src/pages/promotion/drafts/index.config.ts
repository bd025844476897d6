export default definePageConfig({ navigationBarTitleText: 'Drafts and submissions' })
