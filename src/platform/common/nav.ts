import Taro from '@tarojs/taro'
import type { NavPort } from '../types'

export function createNav(): NavPort {
  return {
    open(url) {
      Taro.navigateTo({ url }).catch(() => Taro.redirectTo({ url }))
    },
    replace(url) {
      Taro.redirectTo({ url }).catch(() => Taro.reLaunch({ url }))
    },
    back() {
      Taro.navigateBack().catch(() => Taro.reLaunch({ url: '/pages/index/index' }))
    },
  }
}
