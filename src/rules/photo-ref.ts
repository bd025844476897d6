import type { GeoPointInput } from '../../packages/contract/promotion'

/** A photo of a draft: a file kept on the device, or one already on the server (`server:<upload id>`). */
export interface PhotoRef {
  /** A kept file on the device (FilesPort.persist), or `server:<upload id>`. */
  localPath: string
  takenAt: string
  location: GeoPointInput | null
}

const SERVER = 'server:'

/** The path that names a photo already on the server. */
export const serverPhotoPath = (uploadId: string): string => `${SERVER}${uploadId}`

/** The upload id of a photo on the server; null for a file on the device. */
export function uploadIdOf(path: string): string | null {
  return path.startsWith(SERVER) ? path.slice(SERVER.length) : null
}

/** The device files (not server photos) a draft or any other plain value refers to, by their `localPath`. */
export function devicePhotoPaths(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const item of value) devicePhotoPaths(item, found)
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'localPath' && typeof item === 'string' && uploadIdOf(item) === null) found.add(item)
      else devicePhotoPaths(item, found)
    }
  }
  return found
}
