// The smallest Taro app, built with the same toolchain: the baseline of the H5 start-up ratio (npm run bench).
export default defineAppConfig({ pages: ['pages/index/index'], window: { navigationBarTitleText: 'Minimal' } })
