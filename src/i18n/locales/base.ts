import type { en } from './en'

/** The base type every locale is typed against: the same keys as English, each a string. */
export type MessageKey = keyof typeof en
export type Messages = { readonly [K in MessageKey]: string }
