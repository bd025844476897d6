import { TransportError, type UploadPort } from '../types'
import { readBlob } from './files'

export function createH5Upload(): UploadPort {
  return {
    async upload({ url, filePath, name, headers = {}, formData = {} }) {
      try {
        const blob = await readBlob(filePath)
        const form = new FormData()
        for (const [k, val] of Object.entries(formData)) form.append(k, val)
        form.append(name, blob, `${name}.jpg`)
        const res = await fetch(url, { method: 'POST', headers, body: form })
        const text = await res.text()
        let data: unknown = text
        try {
          data = JSON.parse(text)
        } catch {
          // not JSON: keep the text
        }
        return { status: res.status, data }
      } catch (e) {
        throw new TransportError('network', (e as Error)?.message ?? 'upload failed')
      }
    },
  }
}
