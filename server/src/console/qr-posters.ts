/**
 * The ISOs' association QR posters (spec "scan the following QR code"): a printable SVG with the ISO's name, the
 * QR code and a short instruction in the ISO's languages. The code carries a DingTalk link that DingTalk's own
 * scanner opens at the mini-program's association page with the ISO's id (rules/association.ts
 * associationQrLink); the app's scanner reads it too. Any console account whose scope covers the ISO may print it.
 */
import QRCode from 'qrcode'
import { ASSOCIATION_PAGE, type Locale } from '../../../packages/contract/api'
import { associationQrLink } from '../../../packages/contract/rules/association'
import { translate } from '../../../src/i18n'
import '../../../src/i18n/all'
import type { AppContext } from '../context'
import type { IsoRow } from '../repo/isos'

/**
 * The languages of an ISO's staff, from the ISO's time zone (the ISO has no language of its own): the country's
 * languages, then English (the program's common language) when not among them.
 */
const TIME_ZONE_LANGUAGES: Record<string, Locale[]> = {
  'Asia/Singapore': ['en', 'zh-CN', 'ms'],
  'Asia/Kuala_Lumpur': ['ms', 'en', 'zh-CN'],
  'Asia/Kuching': ['ms', 'en', 'zh-CN'],
  'Asia/Jakarta': ['id'],
  'Asia/Makassar': ['id'],
  'Asia/Jayapura': ['id'],
  'Asia/Pontianak': ['id'],
  'Asia/Bangkok': ['th'],
  'Asia/Ho_Chi_Minh': ['vi'],
  'Asia/Saigon': ['vi'],
  'Asia/Tokyo': ['ja'],
  'Asia/Seoul': ['ko'],
  'Asia/Hong_Kong': ['zh-TW'],
  'Asia/Macau': ['zh-TW'],
  'Asia/Taipei': ['zh-TW'],
  'Asia/Shanghai': ['zh-CN'],
  'Asia/Brunei': ['ms'],
}

export function posterLanguages(timeZone: string): Locale[] {
  const own = TIME_ZONE_LANGUAGES[timeZone] ?? []
  return own.includes('en') ? own : [...own, 'en']
}

/** The text of an ISO's association QR code, as the poster carries it. */
export function associationQrPayload(ctx: Pick<AppContext, 'miniAppId' | 'dingtalk'>, isoId: string): string {
  return associationQrLink({ miniAppId: ctx.miniAppId, corpId: ctx.dingtalk?.corpId, agentId: ctx.dingtalk?.agentId, isoId }, ASSOCIATION_PAGE)
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')

/** Lines of at most `width` characters (CJK and Thai have no spaces: those are cut by length). */
function wrap(text: string, width: number): string[] {
  const words = /\s/.test(text) ? text.split(/\s+/) : [text]
  const lines: string[] = []
  let line = ''
  for (const word of words) {
    if (word.length > width) {
      if (line) lines.push(line)
      for (let i = 0; i < word.length; i += width) lines.push(word.slice(i, i + width))
      line = lines.pop() ?? ''
      continue
    }
    if (line && `${line} ${word}`.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

/** The poster: A-series proportions (210 × 297 units), the QR code 150 units wide with its quiet zone. */
export async function renderQrPoster(iso: Pick<IsoRow, 'name' | 'timezone'>, payload: string): Promise<string> {
  const qr = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 })
  const inner = qr.replace(/^<svg /, '<svg x="30" y="52" width="150" height="150" ')
  const name = wrap(iso.name, 34)
  const lines: Array<{ text: string; size: number; weight?: string }> = []
  for (const locale of posterLanguages(iso.timezone)) {
    const cjk = locale === 'ja' || locale === 'ko' || locale.startsWith('zh') || locale === 'th'
    for (const l of wrap(translate(locale, 'poster.instruction', { iso: iso.name }), cjk ? 30 : 52)) lines.push({ text: l, size: 6.2 })
    lines.push({ text: '', size: 2.5 })
  }
  let y = 214
  const body = lines
    .map((l) => {
      const out = l.text ? `<text x="105" y="${y}" font-size="${l.size}" text-anchor="middle">${xml(l.text)}</text>` : ''
      y += l.size + 2
      return out
    })
    .join('\n  ')
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 210 297" width="210mm" height="297mm" font-family="'Noto Sans', 'PingFang SC', 'Hiragino Sans', 'Malgun Gothic', 'Leelawadee UI', sans-serif">
  <title>${xml(translate('en', 'poster.title', { iso: iso.name }))}</title>
  <rect width="210" height="297" fill="#ffffff"/>
  ${name.map((l, i) => `<text x="105" y="${24 + i * 11}" font-size="10" font-weight="bold" text-anchor="middle">${xml(l)}</text>`).join('\n  ')}
  ${inner}
  ${body}
</svg>
`
}
