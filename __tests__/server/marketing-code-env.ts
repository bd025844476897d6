/** A production server's Marketing Code format (the settings it refuses to start without), as printed codes carry it. */
export const MARKETING_CODES_ENV = {
  MARKETING_CODE_URL_PATTERNS: 'https://qr.alipayplus.example.com/mc/{code} https://qr.alipayplus.example.com/s?c={code}&*',
  MARKETING_CODE_PATTERN: 'MC[0-9A-F]{12}',
} as const
