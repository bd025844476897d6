import { makeObservable, type AnnotationMapEntry } from 'mobx'

/**
 * `makeAutoObservable` for a class that is extended (MobX's own refuses a class with a superclass or subclasses):
 * called in the base's constructor, it annotates every member of the instance and of its classes' prototypes as
 * `makeAutoObservable` would — a getter computed, a method an action (tracked when a page or a computed value
 * calls it), a field observable, a field made with `flow` a flow — but for `overrides` (`false`: not observed).
 * A subclass adds a method or a getter with no list; its own fields are set after the base's constructor: they
 * hold observables of their own (`observable.set()`) or flows (`flow` runs each step as an action by itself).
 */
export function makeClassObservable<T extends object>(target: T, overrides: Record<string, AnnotationMapEntry> = {}): void {
  const annotations: Record<string, AnnotationMapEntry> = {}
  for (let proto: object | null = Object.getPrototypeOf(target); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) if (key !== 'constructor') annotations[key] = true
  }
  for (const key of Object.keys(target)) annotations[key] = true
  for (const key of Object.keys(overrides)) annotations[key] = overrides[key]
  makeObservable<T, string>(target, annotations, { autoBind: true })
}
