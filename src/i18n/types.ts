import type { Locale } from '../../packages/contract/api'

/** One section of the dictionaries: English's keys, each translated into every working language. */
export type SectionMessages<English> = Record<Locale, { readonly [K in keyof English]: string }>
