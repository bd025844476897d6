/**
 * The bridge to the native text components of src/native: they read `getApp().posmLiveText`. The app
 * instance exists only once DingTalk has launched the app, so the source is attached when the first page
 * that shows such a component renders (before the component mounts).
 */
import type { LiveTextPort } from '../types'

export function createDdLiveText(): LiveTextPort {
  return {
    attach(source) {
      const app = typeof getApp === 'function' ? getApp() : undefined
      if (app && !app.posmLiveText) app.posmLiveText = source
    },
  }
}
