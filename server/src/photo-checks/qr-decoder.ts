import path from 'node:path'
import { Worker } from 'node:worker_threads'

/**
 * QR decoding off the request thread: one worker thread per process (qr-worker.cjs, started at the first photo,
 * not keeping the process alive), the images decoded one after another. A worker that fails is replaced at the
 * next photo; the photos it had are answered "no code" (a check, never a refusal).
 */
let worker: Worker | null = null
let nextId = 1
const waiting = new Map<number, (text: string | null) => void>()

function failAll(): void {
  worker = null
  for (const resolve of waiting.values()) resolve(null)
  waiting.clear()
}

function started(): Worker {
  if (worker) return worker
  const w = new Worker(path.join(__dirname, 'qr-worker.cjs'))
  w.on('message', ({ id, text }: { id: number; text: string | null }) => {
    const resolve = waiting.get(id)
    waiting.delete(id)
    resolve?.(text)
  })
  w.on('error', failAll)
  w.on('exit', failAll)
  // after the listeners (adding a 'message' listener refs the port again): the thread never keeps the process alive
  w.unref()
  worker = w
  return w
}

/** The text of the QR code jsQR finds in the RGBA image, or null. */
export function decodeQr(data: Uint8ClampedArray, width: number, height: number): Promise<string | null> {
  // a copy of its own, handed over to the worker (the pixels may sit in a pooled buffer)
  const buffer = new ArrayBuffer(data.length)
  new Uint8ClampedArray(buffer).set(data)
  const id = nextId++
  return new Promise((resolve) => {
    waiting.set(id, resolve)
    started().postMessage({ id, buffer, width, height }, [buffer])
  })
}
