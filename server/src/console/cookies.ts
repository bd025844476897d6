import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * The console's two cookies, read and written by hand: @fastify/cookie 11 loads its parser with a dynamic
 * import, which the test runner (CommonJS) cannot follow, and two cookies need no more than this.
 */
/** The session cookie (HttpOnly, SameSite=Strict, Secure outside development, only sent to /console). */
export const SESSION_COOKIE = 'posm_console'
/** The sign-in form's cookie; the form's token is the server's HMAC of its value (sign-in-form.ts). */
export const SIGN_IN_COOKIE = 'posm_console_signin'

export interface CookieOptions {
  path: string
  httpOnly: boolean
  sameSite: 'strict'
  secure: boolean
  maxAge?: number
}

/** A cookie of the request (the first of that name), or undefined. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie
  if (typeof header !== 'string' || header.length > 8192) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue
    const value = part.slice(eq + 1).trim()
    return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : undefined
  }
  return undefined
}

/** Adds a Set-Cookie header; values are base64url tokens (nothing to escape). */
export function setCookie(reply: FastifyReply, name: string, value: string, o: CookieOptions): void {
  const parts = [`${name}=${value}`, `Path=${o.path}`, 'SameSite=Strict']
  if (o.httpOnly) parts.push('HttpOnly')
  if (o.secure) parts.push('Secure')
  if (o.maxAge !== undefined) parts.push(`Max-Age=${o.maxAge}`)
  const previous = reply.getHeader('set-cookie')
  const list = Array.isArray(previous) ? previous.map(String) : previous !== undefined ? [String(previous)] : []
  reply.header('set-cookie', [...list, parts.join('; ')])
}

export function clearCookie(reply: FastifyReply, name: string, o: CookieOptions): void {
  setCookie(reply, name, '', { ...o, maxAge: 0 })
}

/** The session cookie's options: only sent to /console, never readable by a script, Secure outside development. */
export function sessionCookieOptions(dev: boolean): CookieOptions {
  return { path: '/console', httpOnly: true, sameSite: 'strict', secure: !dev }
}
