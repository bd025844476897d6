import type { MarketingCodeFormat } from './marketing-code'

/**
 * The local server's example form (`https://marketing.alipayplus.example/mc/APMC` and 10 digits or capital
 * letters): the development default only (the server's; the app gets the format with the session, never this one). A
 * production server refuses to start without its own format.
 */
export const DEVELOPMENT_MARKETING_CODE_FORMAT: MarketingCodeFormat = {
  urlPatterns: ['https://marketing.alipayplus.example/mc/{code}'],
  codePattern: 'APMC[0-9A-Z]{10}',
}
