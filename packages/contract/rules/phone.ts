import { parsePhoneNumberFromString as parseWith, type MetadataJson } from 'libphonenumber-js/core'
import metadata from './phone-metadata.json'

/**
 * Phone numbers are checked with libphonenumber-js against its metadata for the countries where the
 * program's staff work (scripts/phone-metadata.mjs writes it): a number of another country is refused as
 * not valid. This keeps about 70 KB out of the mini-program's main package.
 */
const parsePhoneNumberFromString = (text: string) => parseWith(text, metadata as unknown as MetadataJson)

/** A phone number written in international format (+country code) that is valid for its country. */
export function isValidInternationalPhone(value: string): boolean {
  const trimmed = value.trim()
  if (!trimmed.startsWith('+')) return false
  const parsed = parsePhoneNumberFromString(trimmed)
  return Boolean(parsed && parsed.isValid())
}

/** The canonical E.164 form stored by the server ("+6591234567"). */
export function toE164(value: string): string {
  const parsed = parsePhoneNumberFromString(value.trim())
  return parsed ? parsed.number : value.trim()
}

/** "+65 9••• ••67": enough to recognise one's own number, not enough to read it off a screen. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164)
  if (!parsed) return '•••'
  const national = String(parsed.nationalNumber)
  const visibleEnd = national.slice(-2)
  const visibleStart = national.slice(0, 1)
  const hidden = '•'.repeat(Math.max(national.length - 3, 1))
  return `+${parsed.countryCallingCode} ${visibleStart}${hidden}${visibleEnd}`
}
