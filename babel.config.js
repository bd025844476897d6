// Taro builds use babel-preset-taro; jest (NODE_ENV=test) uses plain presets for Node.
module.exports = (api) => {
  const isTest = api.env('test')
  if (isTest) {
    return {
      presets: [['@babel/preset-env', { targets: { node: 'current' } }], ['@babel/preset-react', { runtime: 'automatic' }], '@babel/preset-typescript'],
    }
  }
  return {
    // the dependencies' own source maps are not followed: a build's source map (the bench's) then names the
    // package each byte comes from (node_modules/mobx/…), not its sources (../src/core/atom.ts)
    inputSourceMap: false,
    presets: [
      [
        'taro',
        {
          framework: 'react',
          ts: true,
          // the browser preview runs in current browsers: no regenerator or class transforms there (the
          // DingTalk build keeps Taro's default targets)
          ...(process.env.TARO_ENV === 'h5' ? { targets: { chrome: '87', safari: '14', firefox: '78', edge: '88' } } : {}),
        },
      ],
    ],
  }
}
