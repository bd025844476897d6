import type { ErrorCode } from '../../packages/contract/errors'
import { DEVELOPMENT_MARKETING_CODE_FORMAT } from '../../packages/contract/rules/marketing-code-dev'
import {
  duplicateCodes,
  marketingCodeFormatProblem,
  NOT_A_MARKETING_CODE,
  type MarketingCodeFormat,
  type MarketingCodeReader,
} from '../../packages/contract/rules/marketing-code'
import { ApiError } from './errors'

/** The settings of the Marketing Code format (README, "Marketing Codes as printed"). */
export const MARKETING_CODE_VARIABLES = ['MARKETING_CODE_URL_PATTERNS', 'MARKETING_CODE_PATTERN'] as const

type Env = Record<string, string | undefined>

/**
 * The Marketing Code format from the environment: MARKETING_CODE_URL_PATTERNS (addresses separated by spaces or
 * new lines, `{code}` where the code stands) and MARKETING_CODE_PATTERN (the code, a regular expression). Neither
 * set: the development example in development mode, null otherwise (production refuses to start: startProblem).
 * Throws, naming the setting, on a partial or malformed format.
 */
export function marketingCodesFromEnv(env: Env, dev: boolean): MarketingCodeFormat | null {
  const urls = env.MARKETING_CODE_URL_PATTERNS?.trim()
  const pattern = env.MARKETING_CODE_PATTERN?.trim()
  if (!urls && !pattern) return dev ? DEVELOPMENT_MARKETING_CODE_FORMAT : null
  if (!urls || !pattern) {
    throw new Error(
      `The Marketing Code format is configured only in part: set ${MARKETING_CODE_VARIABLES.filter((name) => !env[name]?.trim()).join(', ')} as well (see README, Marketing Codes as printed).`,
    )
  }
  const format: MarketingCodeFormat = { urlPatterns: urls.split(/\s+/), codePattern: pattern }
  const problem = marketingCodeFormatProblem(format)
  if (problem) throw new Error(`${problem} (see README, Marketing Codes as printed).`)
  return format
}

/** Why a production server cannot start without a Marketing Code format, or null. */
export function marketingCodesStartProblem(config: { dev: boolean; marketingCodes: MarketingCodeFormat | null }): string | null {
  if (config.dev || config.marketingCodes) return null
  return `Production mode recognises the Alipay+ Marketing Codes as the program prints them: set ${MARKETING_CODE_VARIABLES.join(' and ')} (see README, Marketing Codes as printed).`
}

/** The error code that says what a scan is, when it is not a Marketing Code. */
export function notAMarketingCode(codes: MarketingCodeReader, scanned: string): ErrorCode {
  const kind = codes.classify(scanned)
  return kind === 'MARKETING_CODE' ? 'CODE_INVALID' : NOT_A_MARKETING_CODE[kind]
}

/**
 * A submission's Marketing Codes read with the server's format (first submission and Modify): each spot's code as
 * the bare code. 400 VALIDATION_FAILED naming each spot whose code is not a Marketing Code (CODE_INVALID); 422
 * CODE_DUPLICATE when two spots carry the same code (e.g. once as the address, once bare).
 */
export function readSubmissionCodes<T extends { product: string; spots: Array<object> }>(codes: MarketingCodeReader, input: T): T {
  if (input.product !== 'MARKETING_CODE') return input
  const invalid: Record<string, ErrorCode> = {}
  const spots = input.spots.map((spot, i) => {
    if (!('marketingCode' in spot) || typeof spot.marketingCode !== 'string') return spot
    const code = codes.read(spot.marketingCode)
    if (code === null) invalid[`spots.${i}.marketingCode`] = 'CODE_INVALID'
    return { ...spot, marketingCode: code ?? spot.marketingCode }
  })
  if (Object.keys(invalid).length > 0) throw new ApiError(400, 'VALIDATION_FAILED', 'A spot’s code is not an Alipay+ Marketing Code; see fields.', invalid)
  const read = spots.map((s) => ('marketingCode' in s && typeof s.marketingCode === 'string' ? s.marketingCode : null))
  const dup = new Set(duplicateCodes(read))
  if (dup.size > 0) {
    const fields: Record<string, ErrorCode> = {}
    read.forEach((c, i) => {
      if (c && dup.has(c)) fields[`spots.${i}.marketingCode`] = 'CODE_DUPLICATE'
    })
    throw new ApiError(422, 'CODE_DUPLICATE', 'The same Marketing Code is on two spots.', fields)
  }
  return { ...input, spots }
}
