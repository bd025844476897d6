// The QR decoder's thread (server/src/photo-checks/qr-decoder.ts): jsQR is synchronous JavaScript and takes tens
// to hundreds of milliseconds on a phone photo, so it runs here, never on the thread that answers requests.
'use strict'
const { parentPort } = require('node:worker_threads')
const jsQR = require('jsqr')

parentPort.on('message', ({ id, buffer, width, height }) => {
  let text = null
  try {
    const code = jsQR(new Uint8ClampedArray(buffer), width, height, { inversionAttempts: 'dontInvert' })
    text = code && code.data ? code.data : null
  } catch {
    text = null
  }
  parentPort.postMessage({ id, text })
})
