/**
 * A whole fake platform for store and page tests: every port is a jest mock with a sensible default,
 * so a failure path is one line (`platform.http.request.mockRejectedValueOnce(...)`).
 */
import type { Platform, HttpRequest, HttpResponse } from '../../src/platform/types'

export type Route = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>

export function memoryStorage() {
  const data = new Map<string, unknown>()
  return {
    data,
    // values go through JSON, as the platform's storage does (a MobX observable would not survive it)
    get: jest.fn((key: string) => (data.has(key) ? JSON.parse(JSON.stringify(data.get(key))) : null)),
    set: jest.fn((key: string, value: unknown) => void data.set(key, JSON.parse(JSON.stringify(value)))),
    remove: jest.fn((key: string) => void data.delete(key)),
  }
}

/** A request as the server gets it: its body through JSON, as the platform's http sends it (never a MobX observable). */
export function overTheWire(req: HttpRequest): HttpRequest {
  return req.body === undefined ? req : { ...req, body: JSON.parse(JSON.stringify(req.body)) }
}

export function fakePlatform(routes: Record<string, Route> = {}, init: { language?: string | null; storage?: ReturnType<typeof memoryStorage> } = {}) {
  const storage = init.storage ?? memoryStorage()
  const http = {
    request: jest.fn(async (req: HttpRequest): Promise<HttpResponse> => {
      const path = req.url.replace(/^https?:\/\/[^/]+/, '')
      const key = `${req.method} ${path}`
      const route = routes[key]
      if (!route) return { status: 404, data: { error: { code: 'NOT_FOUND', message: key } } }
      return route(overTheWire(req))
    }),
  }
  const platform = {
    scanner: { scan: jest.fn(async () => null as string | null) },
    camera: { takePhoto: jest.fn(async () => null as string[] | null), compress: jest.fn(async (p: string) => p) },
    uploader: { upload: jest.fn(async () => ({ status: 200, data: {} })) },
    location: { getLocation: jest.fn(async () => ({ latitude: 1.3, longitude: 103.8, accuracy: 10, mocked: false })) },
    storage,
    http,
    auth: { kind: 'none' as 'none' | 'dingtalk', corpId: null as string | null, getAuthCode: jest.fn(async () => 'code-1') },
    system: { language: jest.fn(() => (init.language === undefined ? 'en-US' : init.language)) },
    // the tests load every dictionary (setup.ts imports src/i18n/all)
    languages: { load: jest.fn(async () => undefined) },
    ui: { setTitle: jest.fn(), toast: jest.fn(), confirm: jest.fn(async () => true) },
    nav: { open: jest.fn(), replace: jest.fn(), back: jest.fn() },
    files: {
      persist: jest.fn(async (p: string) => `kept:${p}`),
      displayUrl: jest.fn(async (p: string) => p),
      remove: jest.fn(async () => undefined),
      fetchImage: jest.fn(async (url: string) => url),
    },
    network: { isOnline: jest.fn(async () => true), onChange: jest.fn(() => () => undefined) },
    clipboard: { copy: jest.fn(async (_text: string) => undefined) },
    liveText: null,
  }
  return platform satisfies Platform
}

export const json = (status: number, data: unknown): HttpResponse => ({ status, data })
