import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'

/** The sha256 sources of the inline scripts of the H5 app's index.html (Taro's root font-size script). */
export function inlineScriptHashes(staticDir: string | null): string[] {
  if (!staticDir) return []
  const index = path.join(staticDir, 'index.html')
  if (!fs.existsSync(index)) return []
  const page = fs.readFileSync(index, 'utf8')
  return [...page.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`,
  )
}

/**
 * Security headers on every response (@fastify/helmet): the API, the H5 app and the console (which sets
 * a stricter policy of its own). The H5 app's policy allows only its own scripts (and the inline ones of
 * its index.html, by hash), its own API, and the photos it shows from blob: and data: addresses.
 */
export async function registerSecurityHeaders(app: FastifyInstance, staticDir: string | null): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineScriptHashes(staticDir)],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // one framing policy, no framing anywhere: CSP frame-ancestors 'none' (here and in the console's own
    // policy), and X-Frame-Options saying the same (DENY, not helmet's SAMEORIGIN) for browsers without CSP 2
    frameguard: { action: 'deny' },
    // the API is called from the H5 preview's own dev server (another origin) and from DingTalk
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  })
}
