import Taro from '@tarojs/taro'
import type { UiPort } from '../types'

export function createUi(): UiPort {
  return {
    setTitle(title) {
      Taro.setNavigationBarTitle({ title }).catch(() => undefined)
    },
    toast(message, kind = 'none') {
      Taro.showToast({ title: message, icon: kind === 'none' ? 'none' : kind === 'success' ? 'success' : 'error', duration: 2500 }).catch(() => undefined)
    },
    async confirm({ title, content, confirmText, cancelText }) {
      try {
        const res = await Taro.showModal({ title, content, confirmText, cancelText, showCancel: true })
        return Boolean(res.confirm)
      } catch {
        return false
      }
    },
  }
}
