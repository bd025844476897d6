import type { RootStore } from './root-store'

/**
 * One instance per root store and id, made on first use and kept (a wizard's transient state survives the
 * page that shows it). The stores that load with a subpackage's pages use it instead of a root store field.
 */
export function perRoot<T>(): (root: RootStore, id: string, make: () => T) => T {
  const all = new WeakMap<RootStore, Map<string, T>>()
  return (root, id, make) => {
    let ofRoot = all.get(root)
    if (!ofRoot) all.set(root, (ofRoot = new Map()))
    let value = ofRoot.get(id)
    if (value === undefined) ofRoot.set(id, (value = make()))
    return value
  }
}
