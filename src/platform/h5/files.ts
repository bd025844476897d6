import type { FilesPort } from '../types'

/**
 * The browser keeps photos in IndexedDB (paths `idb://<id>`), so that a draft's photos survive a reload
 * as they survive a restart on DingTalk. Object URLs are made on demand for display and upload.
 */
const DB = 'posm-photos'
const STORE = 'photos'
const PREFIX = 'idb://'

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(STORE)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

async function tx<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open()
  return new Promise<T>((resolve, reject) => {
    const request = run(db.transaction(STORE, mode).objectStore(STORE))
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  }).finally(() => db.close())
}

const urls = new Map<string, string>()

/** The image behind a path: a kept photo, or any URL the browser can fetch (blob:, http:). */
export async function readBlob(path: string): Promise<Blob> {
  if (path.startsWith(PREFIX)) {
    const blob = await tx<Blob | undefined>('readonly', (s) => s.get(path.slice(PREFIX.length)))
    if (!blob) throw new Error(`photo ${path} is no longer on this device`)
    return blob
  }
  return (await fetch(path)).blob()
}

export function createH5Files(): FilesPort {
  return {
    async persist(path) {
      if (path.startsWith(PREFIX)) return path
      const blob = await readBlob(path)
      const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
      await tx('readwrite', (s) => s.put(blob, id))
      return `${PREFIX}${id}`
    },
    async displayUrl(path) {
      if (!path.startsWith(PREFIX)) return path
      const cached = urls.get(path)
      if (cached) return cached
      const url = URL.createObjectURL(await readBlob(path))
      urls.set(path, url)
      return url
    },
    async fetchImage(url, headers) {
      const cached = urls.get(url)
      if (cached) return cached
      const res = await fetch(url, { headers })
      if (!res.ok) throw new Error(`image ${res.status}`)
      const objectUrl = URL.createObjectURL(await res.blob())
      urls.set(url, objectUrl)
      return objectUrl
    },
    async remove(path) {
      if (!path.startsWith(PREFIX)) return
      const url = urls.get(path)
      if (url) URL.revokeObjectURL(url)
      urls.delete(path)
      await tx('readwrite', (s) => s.delete(path.slice(PREFIX.length))).catch(() => undefined)
    },
  }
}
