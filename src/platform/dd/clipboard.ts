import type { ClipboardPort } from '../types'
import { call, native } from './native'

/**
 * dd.setClipboard({ text }) with success/fail callbacks, callable in a mini-program without authentication:
 * DingTalk's JSAPI pages "setClipboard" (/work/dingtalk-docs/…/03-Ogu5SlPY4t-客户端JSAPI/0380-jsapi-set-clipboard.md,
 * open.dingtalk.com/document/development/jsapi-set-clipboard) and "设置剪切板数据"
 * (…/0640-dd-setclipboard.md, open.dingtalk.com/document/development/dd-setclipboard).
 */
export function createDdClipboard(): ClipboardPort {
  return {
    async copy(text) {
      await call(native().setClipboard, { text })
    },
  }
}
