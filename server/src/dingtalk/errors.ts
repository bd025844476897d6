import { ApiError } from '../errors'
import { DingTalkError } from './port'

/**
 * A failed DingTalk call as the API answers it: the project's error codes, which the app shows in the
 * working language. Neither DingTalk's raw errcode nor anything of the request (tokens) reaches the body;
 * the server's log has the errcode (client.ts).
 */
export function apiErrorFromDingTalk(error: unknown): ApiError {
  if (!(error instanceof DingTalkError)) return error instanceof ApiError ? error : new ApiError(500, 'SERVER', 'Internal server error.')
  switch (error.kind) {
    case 'code-invalid':
      return new ApiError(401, 'AUTH_CODE_INVALID', 'The DingTalk sign-in code has expired or was already used: reopen the workspace to get a new one.')
    case 'user-not-found':
      return new ApiError(403, 'NOT_IN_ORGANIZATION', 'DingTalk does not list this staff member in the organisation.')
    case 'rate-limited':
    case 'unavailable':
      return new ApiError(503, 'DINGTALK_UNAVAILABLE', 'DingTalk did not answer in time; try again in a moment.')
    default:
      return new ApiError(502, 'DINGTALK_MISCONFIGURED', 'The server could not use DingTalk: its DingTalk settings need attention.')
  }
}
