// Component tests run the app's pages on Taro's H5 runtime inside jsdom.
export {}
