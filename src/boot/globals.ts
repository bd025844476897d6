/**
 * MobX looks for Symbol, Map and Set on the global object; on Alipay-family engines (DingTalk) Taro's
 * `window` is its own object without them, and MobX aborts at load (NervJS/taro issue 12979).
 * Imported first by app.ts, before anything that loads mobx.
 */
import { window as taroWindow } from '@tarojs/runtime'

const globals: Record<string, unknown> = { Symbol, Map, Set, WeakMap, Promise }
for (const [name, value] of Object.entries(globals)) {
  if (typeof Reflect.get(taroWindow, name) === 'undefined') Reflect.set(taroWindow, name, value)
}
