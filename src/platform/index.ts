/**
 * Chooses the platform's implementations. The only place that checks TARO_ENV: webpack replaces it at
 * build time, so each build carries only its own implementation.
 */
import type { AppConfig } from './config'
import { createNav } from './common/nav'
import { createStorage } from './common/storage'
import { createUi } from './common/ui'
import type { Platform } from './types'

export function createPlatform(config: AppConfig): Platform {
  const common = { ui: createUi(), nav: createNav() }
  if (process.env.TARO_ENV === 'dd') {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createDdHttp } = require('./dd/http') as typeof import('./dd/http')
    const { createDdAuth } = require('./dd/auth') as typeof import('./dd/auth')
    const { createDdCamera } = require('./dd/camera') as typeof import('./dd/camera')
    const { createDdUpload } = require('./dd/upload') as typeof import('./dd/upload')
    const { createDdLocation } = require('./dd/location') as typeof import('./dd/location')
    const { createDdScanner } = require('./dd/scanner') as typeof import('./dd/scanner')
    const { createDdSystem } = require('./dd/system') as typeof import('./dd/system')
    const { createDdFiles } = require('./dd/files') as typeof import('./dd/files')
    const { createDdNetwork } = require('./dd/network') as typeof import('./dd/network')
    const { createDdLiveText } = require('./dd/live-text') as typeof import('./dd/live-text')
    const { createDdLanguages } = require('./dd/languages') as typeof import('./dd/languages')
    const { createDdClipboard } = require('./dd/clipboard') as typeof import('./dd/clipboard')
    const storage = createStorage()
    const http = createDdHttp()
    return {
      ...common,
      storage,
      http,
      auth: createDdAuth(config.corpId),
      camera: createDdCamera(),
      uploader: createDdUpload(),
      location: createDdLocation(),
      scanner: createDdScanner(),
      system: createDdSystem(),
      files: createDdFiles(),
      network: createDdNetwork(),
      liveText: createDdLiveText(),
      languages: createDdLanguages(storage, http, config.apiBaseUrl),
      clipboard: createDdClipboard(),
    }
  } else {
    // an explicit else: webpack drops the branch of a constant-false condition with its requires (not the
    // statements after a return), so each build carries only its own platform
    const { createH5Http } = require('./h5/http') as typeof import('./h5/http')
    const { createH5Auth } = require('./h5/auth') as typeof import('./h5/auth')
    const { createH5Camera } = require('./h5/camera') as typeof import('./h5/camera')
    const { createH5Upload } = require('./h5/upload') as typeof import('./h5/upload')
    const { createH5Location } = require('./h5/location') as typeof import('./h5/location')
    const { createH5Scanner } = require('./h5/scanner') as typeof import('./h5/scanner')
    const { createH5System } = require('./h5/system') as typeof import('./h5/system')
    const { createH5Files } = require('./h5/files') as typeof import('./h5/files')
    const { createH5Network } = require('./h5/network') as typeof import('./h5/network')
    const { createH5Storage } = require('./h5/storage') as typeof import('./h5/storage')
    const { createH5Languages } = require('./h5/languages') as typeof import('./h5/languages')
    const { createH5Clipboard } = require('./h5/clipboard') as typeof import('./h5/clipboard')
    /* eslint-enable @typescript-eslint/no-require-imports */
    return {
      ...common,
      storage: createH5Storage(),
      http: createH5Http(),
      auth: createH5Auth(),
      camera: createH5Camera(),
      uploader: createH5Upload(),
      location: createH5Location(),
      scanner: createH5Scanner(),
      system: createH5System(),
      files: createH5Files(),
      network: createH5Network(),
      liveText: null,
      languages: createH5Languages(),
      clipboard: createH5Clipboard(),
    }
  }
}

export type { Platform } from './types'
