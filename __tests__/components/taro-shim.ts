/**
 * `@tarojs/taro` for component tests: Taro's H5 APIs, plus the page lifecycle hooks that a real build
 * injects from the React framework plugin. Here a page is "shown" when it mounts, with `pageQuery` as
 * its query.
 */
import { useEffect } from 'react'

export * from '@tarojs/taro-h5'
import Taro from '@tarojs/taro-h5'
export default Taro

export const pageQuery: { current: Record<string, string> } = { current: {} }

export function useDidShow(cb: () => void) {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => cb(), [])
}

export function useDidHide(_cb: () => void) {
  // a mounted page stays visible in a component test
}

export function useLoad(cb: (query: Record<string, string>) => void) {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => cb(pageQuery.current), [])
}
