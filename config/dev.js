module.exports = {
  env: { NODE_ENV: '"development"' },
  mini: {},
  h5: {},
}
