/**
 * npm test's set-up (scripts/test-setup.mjs): what it installs or asks for, from what the machine has. The pictures'
 * fonts are checked by family, as the pictures name them (__tests__/shots/fonts.json): a machine whose only Thai font
 * is Debian's fonts-thai-tlwg has a Thai font, but not the one the pictures are drawn in.
 */
import { fontFamiliesOf, missingRequirements, PICTURE_FONTS, setupPlan } from '../../scripts/test-setup.mjs'

const ALL = [
  'lint (ESLint + tsc)',
  'server tests',
  'server tests on PostgreSQL',
  'end-to-end (Chromium)',
  'DingTalk build drawn (AXML and ACSS in Chromium, beside the H5 preview)',
]
// `fc-list : family` on a Debian machine with fonts-thai-tlwg, DejaVu and no Noto
const TLWG_ONLY = [
  'DejaVu Sans',
  'DejaVu Sans,DejaVu Sans Condensed',
  'Loma',
  'Garuda',
  'Kinnari',
  'Norasi',
  'Purisa',
  'Sawasdee',
  'Tlwg Typist',
  'Umpush',
  'Waree',
].join('\n')
const WITH_NOTO = [TLWG_ONLY, 'Noto Sans', 'Noto Sans Thai', 'Noto Sans CJK SC,Noto Sans CJK SC Regular', 'Noto Sans CJK JP'].join('\n')
const machine = (fc: string, more: Partial<{ chromium: string | null; postgres: boolean; databaseUrl: string | null }> = {}) => ({
  chromium: '/usr/bin/chromium',
  fontFamilies: fontFamiliesOf(fc),
  postgres: true,
  databaseUrl: null,
  ...more,
})

describe("npm test's set-up", () => {
  it('names the Noto families the pictures are drawn in: Latin, Thai and CJK', () => {
    expect(PICTURE_FONTS.map((f) => f.family)).toEqual(['Noto Sans', 'Noto Sans Thai', 'Noto Sans CJK SC'])
  })

  it('installs the Noto fonts on a machine whose only Thai font is fonts-thai-tlwg', () => {
    const missing = missingRequirements(ALL, machine(TLWG_ONLY))
    expect(missing.map((r) => r.name)).toEqual(['the font family "Noto Sans"', 'the font family "Noto Sans Thai"', 'the font family "Noto Sans CJK SC"'])
    expect(setupPlan(missing, { root: true, aptGet: true })).toEqual({
      action: 'install',
      packages: ['fonts-noto-core', 'fonts-noto-cjk'],
      command: 'apt-get install -y fonts-noto-core fonts-noto-cjk',
    })
  })

  it('needs nothing once they are there, nor fonts when the pictures are not among the suites run', () => {
    expect(missingRequirements(ALL, machine(WITH_NOTO))).toEqual([])
    expect(missingRequirements(['server tests', 'end-to-end (Chromium)'], machine(TLWG_ONLY))).toEqual([])
  })

  it('on a fresh machine: Chromium, the fonts and PostgreSQL, or the one command to type when it cannot install', () => {
    const missing = missingRequirements(ALL, machine('DejaVu Sans', { chromium: null, postgres: false }))
    expect(setupPlan(missing, { root: true, aptGet: true }).packages).toEqual(['chromium', 'fonts-noto-core', 'fonts-noto-cjk', 'postgresql'])
    expect(setupPlan(missing, { root: false, aptGet: true })).toEqual({
      action: 'stop',
      packages: ['chromium', 'fonts-noto-core', 'fonts-noto-cjk', 'postgresql'],
      command: 'sudo apt-get install -y chromium fonts-noto-core fonts-noto-cjk postgresql',
    })
  })

  it('needs no PostgreSQL of its own when TEST_DATABASE_URL names the developer’s cluster', () => {
    expect(missingRequirements(ALL, machine(WITH_NOTO, { postgres: false, databaseUrl: 'postgres://me@127.0.0.1:5432/postgres' }))).toEqual([])
    expect(missingRequirements(ALL, machine(WITH_NOTO, { postgres: false })).map((r) => r.name)).toEqual(['PostgreSQL'])
  })
})
