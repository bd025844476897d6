import type { ApiErrorBody, ErrorCode } from '../../packages/contract/errors'
import { validate } from '../../packages/contract/schemas'
import { enablePhoneValidation } from '../../packages/contract/rules/phone-check'
import type * as v from 'valibot'

// phone numbers in request bodies are checked with libphonenumber-js
enablePhoneValidation()

/** A refusal the API answers as ApiErrorBody with this HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, ErrorCode>,
    /** RATE_LIMITED: seconds to wait (sent in Retry-After and in the body). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** The answer's body; `requestId` (the request's id, also in X-Request-Id) lets staff quote the failure. */
  toBody(requestId?: string): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
        ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
        ...(requestId !== undefined ? { requestId } : {}),
      },
    }
  }
}

/** Validates a payload with a shared schema; a failure is a 400 VALIDATION_FAILED naming each field's code. */
export function parseBody<S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> {
  const result = validate(schema, body)
  if (result.ok) return result.value
  const fields: Record<string, ErrorCode> = {}
  for (const [key, code] of Object.entries(result.fields)) if (code) fields[key] = code
  throw new ApiError(400, 'VALIDATION_FAILED', 'The request body is not valid; see fields.', fields)
}

const STATUS_CODES: Record<number, ErrorCode> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }

/**
 * Any error thrown while answering (ours, fastify's body parsing, anything unexpected) as an ApiError.
 * A client's mistake is always a 4xx; only a fault of the server becomes 500 SERVER.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  const { code, statusCode, message } = (error ?? {}) as { code?: unknown; statusCode?: unknown; message?: unknown }
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'VALIDATION_FAILED', 'The request body is too large.')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(400, 'VALIDATION_FAILED', 'Unsupported Content-Type; send the body as application/json.')
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'VALIDATION_FAILED', 'The request body is not valid JSON.')
    default:
      break
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const status = statusCode === 415 ? 400 : statusCode
    return new ApiError(status, STATUS_CODES[status] ?? 'VALIDATION_FAILED', typeof message === 'string' ? message : 'Bad request.')
  }
  return new ApiError(500, 'SERVER', 'Internal server error.')
}
