/**
 * The globals of DingTalk's mini-program engine. Only src/platform/dd reads them (ESLint's no-restricted-globals
 * elsewhere); their shapes, which vary between client versions, are described and normalised there.
 */

/** DingTalk's native API object (src/platform/dd/native.ts). */
declare const dd: import('../src/platform/dd/native').DdNative

/** The app instance, once DingTalk has launched the app (src/platform/dd/live-text.ts: the native text components' source). */
declare const getApp: () => { posmLiveText?: import('../src/platform/types').LiveTextSource } | undefined
