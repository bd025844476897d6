// Taro builds use babel-preset-taro; jest (NODE_ENV=test) uses plain presets for Node.
module.exports = (api) => {
  const isTest = api.env('test')
  if (isTest) {
    return {
      presets: [
        ['@babel/preset-env', { targets: { node: 'current' } }],
        ['@babel/preset-react', { runtime: 'automatic' }],
        '@babel/preset-typescript',
      ],
    }
  }
  return {
    presets: [
      ['taro', {
        framework: 'react',
        ts: true,
      }],
    ],
  }
}
