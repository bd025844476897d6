module.exports = {
  env: { NODE_ENV: '"production"' },
  mini: {},
  h5: {},
}
