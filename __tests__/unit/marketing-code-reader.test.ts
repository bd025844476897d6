/**
 * Reading a scan with a Marketing Code format (packages/contract/rules/marketing-code.ts): the server's
 * configuration, the same rule in the server and the app. What is not a Marketing Code is said: a payment QR
 * code, a web link, or text.
 */
import { marketingCodeFormatProblem, marketingCodeReader, type MarketingCodeFormat } from '../../packages/contract/rules/marketing-code'

const FORMAT: MarketingCodeFormat = {
  urlPatterns: ['https://qr.alipayplus.example.com/mc/{code}', 'https://qr.alipayplus.example.com/s?c={code}&*', 'alipayplus://mc?code={code}'],
  codePattern: 'MC[0-9A-F]{12}',
}
const reader = marketingCodeReader(FORMAT)

describe('a configured format', () => {
  it.each([
    ['https://qr.alipayplus.example.com/mc/MC0123456789AB', 'MC0123456789AB'],
    ['  HTTPS://QR.ALIPAYPLUS.EXAMPLE.COM/mc/MC0123456789AB\n', 'MC0123456789AB'],
    ['https://qr.alipayplus.example.com/s?c=MC0123456789AB&lang=en&src=poster', 'MC0123456789AB'],
    ['https://qr.alipayplus.example.com/s?c=MC0123456789AB&', 'MC0123456789AB'],
    ['alipayplus://mc?code=MC0123456789AB', 'MC0123456789AB'],
    ['MC0123456789AB', 'MC0123456789AB'],
    // the code keeps its own case; `*` never crosses a space; nothing before or after the address
    ['https://qr.alipayplus.example.com/mc/mc0123456789ab', null],
    ['https://qr.alipayplus.example.com/s?c=MC0123456789AB&a b', null],
    ['https://qr.alipayplus.example.com/mc/MC0123456789AB?x=1', null],
    ['https://evil.example/?u=https://qr.alipayplus.example.com/mc/MC0123456789AB', null],
    ['https://qrXalipayplus.example.com/mc/MC0123456789AB', null],
    ['https://marketing.alipayplus.example/mc/APMC0123456789', null],
    ['x'.repeat(190) + 'MC0123456789AB', null],
    ['', null],
  ])('%j → %s', (scanned, code) => {
    expect(reader.read(scanned)).toBe(code)
  })

  it.each([
    ['https://qr.alipayplus.example.com/mc/MC0123456789AB', 'MARKETING_CODE'],
    ['00020101021126580014A000000615000101065021420215TESTMERCHANT0015204581253034585802MY5913Kedai Kopi VM6012Kuala Lumpur6304A1B2', 'PAYMENT_QR'],
    ['https://qr.alipay.com/bax01234abcd', 'PAYMENT_QR'],
    ['alipays://platformapi/startapp?appId=20000056', 'PAYMENT_QR'],
    ['wxp://f2f0abcdef', 'PAYMENT_QR'],
    ['281234567890123456', 'PAYMENT_QR'],
    ['https://kopi.example.com/menu', 'WEB_LINK'],
    ['www.kopi.example.com', 'WEB_LINK'],
    ['https://qr.alipayplus.example.com/mc/MC0123', 'WEB_LINK'],
    ['Table 12', 'TEXT'],
    ['WIFI:S:guest;T:WPA;P:secret;;', 'TEXT'],
    ['12345', 'TEXT'],
  ])('%j is %s', (scanned, kind) => {
    expect(reader.classify(scanned)).toBe(kind)
  })
})

describe('a format’s problems (refused when the server loads it)', () => {
  it.each([
    [{ urlPatterns: ['https://a.example/{code}'], codePattern: 'X\\d{4}' }, null],
    [{ urlPatterns: [], codePattern: 'X\\d{4}' }, /MARKETING_CODE_URL_PATTERNS must list at least one address/],
    [{ urlPatterns: ['https://a.example/'], codePattern: 'X\\d{4}' }, /exactly once/],
    [{ urlPatterns: ['https://a.example/{code}'], codePattern: '' }, /MARKETING_CODE_PATTERN must be a regular expression/],
    [{ urlPatterns: ['https://a.example/{code}'], codePattern: '[' }, /not a valid regular expression/],
    [{ urlPatterns: ['https://a.example/{code}'], codePattern: 'a|' }, /must not match an empty text/],
  ])('%j → %s', (format, problem) => {
    const found = marketingCodeFormatProblem(format)
    if (problem === null) expect(found).toBeNull()
    else expect(found).toMatch(problem)
  })

  it('a pattern the engine cannot compile reads nothing (never throws in the app)', () => {
    const broken = marketingCodeReader({ urlPatterns: ['https://a.example/{code}'], codePattern: '(' })
    expect(broken.read('https://a.example/(')).toBeNull()
    expect(broken.classify('https://a.example/x')).toBe('WEB_LINK')
  })
})
