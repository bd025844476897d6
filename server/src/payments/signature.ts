import { createSign, createVerify, type KeyObject } from 'node:crypto'

/**
 * The Alipay+ API's message signature (docs.alipayplus.com, "API overview" → "Signature"; the same scheme as the
 * Alipay+ developer guide "Sign a request and validate the signature"):
 *
 *   content   = `<HTTP method> <path>\n<Client-Id>.<Request-Time or Response-Time>.<body>`
 *   signature = base64(SHA256withRSA(content, private key)), URL-encoded in the header
 *   header    = `Signature: algorithm=RSA256,keyVersion=<n>,signature=<URL-encoded base64>`
 *
 * Requests are signed with our private key (Alipay+ holds our public key); answers are signed with Alipay+'s
 * private key and checked with Alipay+'s public key before anything in them is believed.
 */
export function contentToSign(method: string, path: string, clientId: string, time: string, body: string): string {
  return `${method.toUpperCase()} ${path}\n${clientId}.${time}.${body}`
}

/** base64 SHA256withRSA of `content` (not URL-encoded). */
export function signContent(content: string, privateKey: KeyObject | string): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64')
}

export function verifyContent(content: string, base64Signature: string, publicKey: KeyObject | string): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKey, base64Signature, 'base64')
  } catch {
    return false
  }
}

/** The `Signature` header's value. */
export function signatureHeader(base64Signature: string, keyVersion: string): string {
  return `algorithm=RSA256,keyVersion=${keyVersion},signature=${encodeURIComponent(base64Signature)}`
}

export interface ParsedSignatureHeader {
  algorithm: string
  keyVersion: string | null
  /** base64 (URL-decoded). */
  signature: string
}

/** The parts of a `Signature` header; null when it has no `signature=` part or is malformed. */
export function parseSignatureHeader(value: string | undefined | null): ParsedSignatureHeader | null {
  if (!value) return null
  const parts = new Map<string, string>()
  for (const piece of value.split(',')) {
    const at = piece.indexOf('=')
    if (at <= 0) return null
    parts.set(piece.slice(0, at).trim(), piece.slice(at + 1).trim())
  }
  const signature = parts.get('signature')
  if (!signature) return null
  let decoded: string
  try {
    decoded = decodeURIComponent(signature)
  } catch {
    return null
  }
  return { algorithm: parts.get('algorithm') ?? '', keyVersion: parts.get('keyVersion') ?? null, signature: decoded }
}

/** `Request-Time`/`Response-Time`: ISO 8601 with a time zone (`2026-12-07T15:04:05+00:00`, no milliseconds). */
export function isoTimeWithZone(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

/** A Request-Time/Response-Time that carries a time zone (Z or ±hh:mm); null otherwise. */
export function parseTimeWithZone(value: string | undefined | null): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null
  const at = new Date(value)
  return Number.isNaN(at.getTime()) ? null : at
}
