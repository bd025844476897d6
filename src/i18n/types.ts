import type { Locale } from '../../packages/contract/rules/locale'

/** One section of the dictionaries: its keys (English's), each translated into every working language. */
export type SectionMessages<Key extends string> = Record<Locale, Readonly<Record<Key, string>>>
