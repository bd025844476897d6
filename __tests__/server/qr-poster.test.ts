/**
 * The ISOs' association QR posters (console): a printable SVG with the ISO's name and the instruction in the
 * ISO's languages, whose QR code — read back from the poster's own drawing — is the DingTalk link that opens
 * the mini-program's association page with the ISO's id (DingTalk's scheme for an internal app), and which
 * the app's scanner accepts. Only an account whose scope covers the ISO gets it.
 */
import jsQR from 'jsqr'
import QRCode from 'qrcode'
import { PNG } from 'pngjs'
import { ASSOCIATION_PAGE, ASSOCIATION_QR_PREFIX } from '../../packages/contract/api'
import { parseAssociationQr } from '../../packages/contract/rules/association'
import { renderQrPoster } from '../../server/src/console/qr-posters'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { startWithDingTalk } from './dingtalk-helpers'
import { DEV_ACCOUNT, startTestServer } from './helpers'

/**
 * Draws the QR code of a poster as a printer would: the poster's nested <svg viewBox="0 0 n n"> and its
 * stroked path (qrcode's "M x y h w m dx dy" runs, one module high), each module `scale` pixels, and reads
 * it with jsQR. Any other drawing command fails the test rather than being skipped.
 */
function readPosterQr(poster: string, scale = 6): string | null {
  const svg = /<svg x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" [^>]*viewBox="0 0 (\d+) (\d+)"[^>]*>([\s\S]*?)<\/svg>/.exec(poster)
  if (!svg) throw new Error('no QR code drawn in the poster')
  const n = Number(svg[1])
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg[3])?.[1]
  if (!d) throw new Error('no dark modules in the QR code')
  const dark: boolean[][] = Array.from({ length: n }, () => Array<boolean>(n).fill(false))
  let x = 0
  let y = 0
  for (const [, cmd, args] of d.matchAll(/([MmHhVvLlZz])([^MmHhVvLlZz]*)/g)) {
    const nums = args.trim()
      ? args
          .trim()
          .split(/[\s,]+/)
          .map(Number)
      : []
    if (cmd === 'M' || cmd === 'm') {
      x = cmd === 'M' ? nums[0] : x + nums[0]
      y = cmd === 'M' ? nums[1] : y + nums[1]
    } else if (cmd === 'h') {
      for (let i = 0; i < nums[0]; i++) dark[Math.floor(y)][x + i] = true
      x += nums[0]
    } else throw new Error(`unexpected drawing command ${cmd}`)
  }
  const png = new PNG({ width: n * scale, height: n * scale })
  for (let py = 0; py < n * scale; py++) {
    for (let px = 0; px < n * scale; px++) {
      const v = dark[Math.floor(py / scale)][Math.floor(px / scale)] ? 0 : 255
      const o = (py * n * scale + px) * 4
      png.data[o] = png.data[o + 1] = png.data[o + 2] = v
      png.data[o + 3] = 255
    }
  }
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null
}

describe('the association QR poster', () => {
  it('production: the printed code opens the association page of this app, for this ISO, in DingTalk', async () => {
    const fake = await new FakeDingTalk().start()
    const server = await startWithDingTalk(fake, { miniAppId: '5000000000000042' })
    try {
      // an ISO of its own (a production database has no demo ISOs)
      await server.db.run(
        `INSERT INTO isos (id, name, email, deployment_method, timezone, max_spots_per_store, created_at, dingtalk_dept_id, region)
         VALUES ('iso-harbour', 'Harbour Payments Pte. Ltd.', 'ops@harbourpay.example', 'VERIFY_THEN_DEPLOY', 'Asia/Singapore', 3, '2025-01-01T00:00:00.000Z', NULL, 'SEA')`,
      )
      const res = await server.consoleGet('/console/isos/iso-harbour/association-qr.svg')
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/)
      const poster = res.body
      const payload = readPosterQr(poster)
      expect(payload).toBe(
        `dingtalk://dingtalkclient/action/open_mini_app?type=2&miniAppId=5000000000000042&corpId=${fake.corpId}&agentId=${fake.agentId}&pVersion=1&packageType=1&page=pages%2Fassociate%2Findex%3Fiso%3Diso-harbour`,
      )
      // the app's scanner takes it, and the first codes' text still
      expect(parseAssociationQr(payload!, ASSOCIATION_QR_PREFIX, ASSOCIATION_PAGE)).toEqual({ isoId: 'iso-harbour' })
      expect(parseAssociationQr(`${ASSOCIATION_QR_PREFIX}?iso=iso-lioncity`, ASSOCIATION_QR_PREFIX, ASSOCIATION_PAGE)).toEqual({ isoId: 'iso-lioncity' })
      // the ISO's name and the instruction in its languages (Singapore: English, Chinese, Malay)
      expect(poster).toContain('Harbour Payments Pte. Ltd.')
      expect(poster).toContain('Open DingTalk, tap Scan and scan this code')
      expect(poster).toContain('打开钉钉，点击“扫一扫”扫描此码')
      expect(poster).toContain('Buka DingTalk, ketik Imbas dan imbas kod ini')
      // the console's ISO list links to it
      expect((await server.consoleGet('/console')).body).toContain('href="/console/isos/iso-harbour/association-qr.svg"')
    } finally {
      await server.close()
      await fake.stop()
    }
  })

  it('a long payload and a name with markup: still readable, the name printed as text', async () => {
    const name = 'Pay & <Go> “Indonesia” Sejahtera Bersama Teknologi Pembayaran Nusantara'
    const payload = `dingtalk://dingtalkclient/action/open_mini_app?type=2&miniAppId=${'9'.repeat(24)}&page=pages%2Fassociate%2Findex%3Fiso%3D${'x'.repeat(64)}`
    const poster = await renderQrPoster({ name, timezone: 'Asia/Jakarta' }, payload)
    expect(readPosterQr(poster)).toBe(payload)
    expect(poster).not.toContain('<Go>')
    expect(poster).toContain('Pay &amp; &lt;Go&gt;')
    expect(poster).toContain('Buka DingTalk, ketuk Pindai') // Indonesian, then English
    expect(poster).toContain('Open DingTalk, tap Scan')
    // the drawing reader is not fooled: another code's drawing reads as that code
    const other = await QRCode.toString('posm-workspace://associate?iso=other', { type: 'svg', margin: 4 })
    expect(readPosterQr(poster.replace(/<svg x="30"[\s\S]*?<\/svg>/, other.replace(/^<svg /, '<svg x="30" y="52" width="150" height="150" ')))).toBe(
      'posm-workspace://associate?iso=other',
    )
  })

  it('only for an account whose scope covers the ISO', async () => {
    const server = await startTestServer()
    try {
      const lion = server.consoleAs(DEV_ACCOUNT.lioncity)
      expect((await lion.get('/console/isos/iso-lioncity/association-qr.svg')).statusCode).toBe(200)
      expect((await lion.get('/console/isos/iso-nusantara/association-qr.svg')).statusCode).toBe(403)
      expect((await lion.get('/console/isos/iso-nowhere/association-qr.svg')).statusCode).toBe(404)
      expect((await server.consoleGet('/console/isos/iso-lioncity/association-qr.svg', null)).statusCode).not.toBe(200)
    } finally {
      await server.close()
    }
  })
})
