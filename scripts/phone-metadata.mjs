#!/usr/bin/env node
// Writes packages/contract/rules/phone-metadata.json: libphonenumber-js's "min" metadata limited to the countries where
// the program's ISO staff work (Asia-Pacific, plus a few common home countries of staff numbers). It
// keeps the mini-program's main package small; run again after upgrading libphonenumber-js.
import fs from 'node:fs'
import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const full = require('libphonenumber-js/metadata.min.json')

export const COUNTRIES = ['SG', 'MY', 'ID', 'TH', 'VN', 'PH', 'HK', 'MO', 'TW', 'CN', 'JP', 'KR', 'KH', 'LA', 'MM', 'BN', 'AU', 'NZ', 'GB', 'US', 'CA']

const countries = Object.fromEntries(COUNTRIES.map((c) => [c, full.countries[c]]))
const codes = {}
for (const [code, list] of Object.entries(full.country_calling_codes)) {
  const kept = list.filter((c) => COUNTRIES.includes(c))
  if (kept.length) codes[code] = kept
}
const out = { version: full.version, country_calling_codes: codes, countries, nonGeographic: {} }
fs.writeFileSync(new URL('../packages/contract/rules/phone-metadata.json', import.meta.url), JSON.stringify(out))
console.log(`phone metadata: ${COUNTRIES.length} countries, ${JSON.stringify(out).length} bytes (full: ${JSON.stringify(full).length})`)
