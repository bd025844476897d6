import type { CameraPort } from '../types'

const MAX_EDGE = 1600

/**
 * A file input with `capture="environment"`: phones open the camera directly; a desktop browser (and a
 * browser test) chooses a file. Answers object URLs that the uploader reads back.
 */
export function createH5Camera(): CameraPort {
  return {
    takePhoto({ count = 1 }) {
      return new Promise((resolve) => {
        const input = document.createElement('input')
        input.type = 'file'
        input.accept = 'image/*'
        input.setAttribute('capture', 'environment')
        input.multiple = count > 1
        input.style.display = 'none'
        input.dataset.role = 'camera-input'
        input.addEventListener('change', () => {
          const files = Array.from(input.files ?? []).slice(0, count)
          input.remove()
          resolve(files.length ? files.map((f) => URL.createObjectURL(f)) : null)
        })
        input.addEventListener('cancel', () => {
          input.remove()
          resolve(null)
        })
        document.body.append(input)
        input.click()
      })
    },
    async compress(path) {
      try {
        const img = await loadImage(path)
        const scale = Math.min(1, MAX_EDGE / Math.max(img.naturalWidth, img.naturalHeight))
        const canvas = document.createElement('canvas')
        canvas.width = Math.round(img.naturalWidth * scale)
        canvas.height = Math.round(img.naturalHeight * scale)
        const ctx = canvas.getContext('2d')
        if (!ctx) return path
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height)
        const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.8))
        return blob ? URL.createObjectURL(blob) : path
      } catch {
        return path
      }
    },
  }
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image()
    img.onload = () => resolve(img)
    img.onerror = () => reject(new Error('not an image'))
    img.src = src
  })
}
