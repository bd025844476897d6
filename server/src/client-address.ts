/**
 * Which proxies in front of the server are trusted (TRUST_PROXY): only a request that reaches the server from
 * one of them has its X-Forwarded-For (the client's address, for rate limits, lockouts and logs) and its
 * X-Request-Id believed. Anyone else's forwarded headers are ignored: a client talking to the server directly
 * cannot choose the address it is counted under.
 */
import { BlockList, isIP } from 'node:net'

/** `trust(address, hop)`: whether the address `hop` steps from the server (0: the socket's peer) is a trusted proxy. */
export interface TrustedProxies {
  trust(address: string, hop: number): boolean
  /** For the start-up line: what is trusted (addresses only, no secret). */
  description: string
}

export const TRUST_PROXY_VARIABLE = 'TRUST_PROXY'

/** proxy-addr's names for ranges (the same ones Fastify's trustProxy accepts). */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
}

const HELP = `${TRUST_PROXY_VARIABLE} names the load balancers in front of the server: their addresses or ranges (e.g. 10.0.0.0/8, 192.168.1.10, loopback, uniquelocal), comma-separated, or the number of proxies in front of it (e.g. 1)`

/**
 * TRUST_PROXY read: unset or empty, no proxy is trusted (forwarded headers are ignored); a list of addresses,
 * CIDR ranges and proxy-addr's named ranges; or a hop count (the nearest n proxies trusted, whoever they
 * are: only where nothing but the load balancer can reach the server). "true"/"all" is refused: it would let
 * any client choose its address.
 */
export function parseTrustProxy(value: string | undefined): TrustedProxies | undefined {
  const raw = value?.trim()
  if (!raw) return undefined
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw)
    if (hops < 1 || hops > 10) throw new Error(`${HELP}; a number of proxies must be between 1 and 10 (got "${raw}")`)
    return { trust: (_address, hop) => hop < hops, description: `the nearest ${hops} prox${hops === 1 ? 'y' : 'ies'}` }
  }
  if (/^(true|all|\*|yes|on)$/i.test(raw)) {
    throw new Error(`${HELP}. Trusting every address would let any client choose the address it is counted under (got "${raw}")`)
  }
  const list = new BlockList()
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const entry of entries) {
    const named = NAMED_RANGES[entry.toLowerCase()]
    for (const range of named ?? [entry]) {
      const problem = addRange(list, range)
      if (problem) throw new Error(`${HELP}; "${entry}" ${problem}`)
    }
  }
  return { trust: (address) => contains(list, address), description: entries.join(', ') }
}

/** Adds an address or a CIDR range to the list; answers what is wrong with it, or null. */
function addRange(list: BlockList, range: string): string | null {
  const [address, prefix, extra] = range.split('/')
  const family = isIP(address)
  if (family === 0 || extra !== undefined) return 'is not an IP address or a CIDR range such as 10.0.0.0/8'
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (prefix === undefined) {
    list.addAddress(address, type)
    return null
  }
  const bits = Number(prefix)
  if (!/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return `has a prefix length that is not 0 to ${family === 4 ? 32 : 128}`
  list.addSubnet(address, bits, type)
  return null
}

function contains(list: BlockList, address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  return list.check(address, family === 4 ? 'ipv4' : 'ipv6')
}
