/**
 * Boolean settings (environment variables), one spelling rule for all of them: 1/0, true/false, yes/no and
 * on/off, in any case. Anything else is refused with a message naming the setting, so that a typo never
 * silently means "off".
 */

const TRUE = new Set(['1', 'true', 'yes', 'on'])
const FALSE = new Set(['0', 'false', 'no', 'off'])

/** The spellings accepted, for messages and the README. */
export const BOOLEAN_SPELLINGS = '1/0, true/false, yes/no or on/off'

/**
 * The value of the boolean setting `name`, `fallback` when unset or blank; throws an Error naming the setting
 * for any other spelling. `shown` turns the raw value into the text quoted in the message (default: JSON, cut at
 * 40 characters); a setting that might hold a pasted secret can pass its own.
 */
export function booleanSetting(name: string, raw: string | undefined, fallback: boolean, shown?: (value: string) => string): boolean {
  const value = raw?.trim()
  if (!value) return fallback
  const lower = value.toLowerCase()
  if (TRUE.has(lower)) return true
  if (FALSE.has(lower)) return false
  const quoted = shown ? shown(value) : JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  throw new Error(`${name} must be ${BOOLEAN_SPELLINGS} (got ${quoted})`)
}
