/**
 * MobX configured as the app configures it (src/boot/mobx.ts): `useProxies: 'ifavailable'`, under which
 * MobX's development build refuses what only works through a Proxy (`delete` and `in` on an observable
 * object, a new key assigned to one, its keys iterated in a reaction). With POSM_MOBX_PROXIES=never the
 * suites run as on a DingTalk engine without Proxy: MobX's ES5 implementation, where such uses would
 * silently go unnoticed.
 */
import { configure } from 'mobx'
import '../../src/boot/mobx'

if (process.env.POSM_MOBX_PROXIES === 'never') configure({ useProxies: 'never' })
