import { normaliseLocale } from '../../packages/contract/rules/locale'

describe('normaliseLocale: DingTalk reports its language in many shapes', () => {
  it.each([
    ['zh_CN', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh_TW', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['en-US', 'en'],
    ['EN', 'en'],
    ['ja_JP', 'ja'],
    ['ko-KR', 'ko'],
    ['th-TH', 'th'],
    ['ms_MY', 'ms'],
    ['in', 'id'],
    ['id-ID', 'id'],
    ['vi_VN', 'vi'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseLocale(raw)).toBe(expected)
  })

  it.each([null, undefined, '', '   ', 'fr-FR', 'de'])('%p is not one of ours', (raw) => {
    expect(normaliseLocale(raw as string | null)).toBeNull()
  })
})
