import { makeObservable, observable, runInAction, when } from 'mobx'
import type { CameraPort, FilesPort, GeoPoint, LocationPort } from '../platform/types'
import { uploadIdOf, type PhotoRef } from '../rules/photo-ref'

/**
 * Takes a photo with the camera only, compresses it, keeps it on the device and stamps it with the time
 * and place of capture. Answers null when the person cancelled.
 */
export class PhotoService {
  /**
   * Photos back from the camera whose file is not kept yet (compressing, waiting for the location fix,
   * copying): a wizard's Next waits for them rather than finding no photo.
   */
  keeping = 0

  /** How long a photo waits for its location fix before it is kept without one (a fix may never come). */
  locationWaitMs = 10_000

  constructor(
    private readonly camera: CameraPort,
    private readonly files: FilesPort,
    private readonly location: LocationPort,
    private readonly now: () => Date = () => new Date(),
    /** The address and headers of an upload on the server. */
    private readonly serverImage: (uploadId: string) => { url: string; headers: Record<string, string> } = (id) => ({ url: `/api/uploads/${id}`, headers: {} }),
  ) {
    makeObservable(this, { keeping: observable })
  }

  /** Resolves once every photo back from the camera is kept (at once when none is pending). */
  whenKept(): Promise<void> {
    return when(() => this.keeping === 0)
  }

  /** Something an <Image> can show for a photo: kept on the device, or already on the server. */
  displayUrl(path: string): Promise<string> {
    const uploadId = uploadIdOf(path)
    if (uploadId !== null) {
      const { url, headers } = this.serverImage(uploadId)
      return this.files.fetchImage(url, headers)
    }
    return this.files.displayUrl(path)
  }

  private locationWithin(ms: number): Promise<GeoPoint | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), ms)
      this.location.getLocation().then(
        (point) => {
          clearTimeout(timer)
          resolve(point)
        },
        () => {
          clearTimeout(timer)
          resolve(null)
        },
      )
    })
  }

  /**
   * Frees the saved file of a photo that was replaced (retaken) and that nothing else refers to: DingTalk
   * keeps at most 50 MB of saved files (0709-file-manager-overview.md). A photo on the server has no file.
   */
  async forget(path: string): Promise<void> {
    if (uploadIdOf(path) === null) await this.files.remove(path)
  }

  async take(title: string): Promise<PhotoRef | null> {
    const paths = await this.camera.takePhoto({ count: 1, title })
    if (!paths || paths.length === 0) return null
    const takenAt = this.now().toISOString()
    runInAction(() => this.keeping++)
    try {
      const [compressed, location] = await Promise.all([this.camera.compress(paths[0]), this.locationWithin(this.locationWaitMs)])
      const localPath = await this.files.persist(compressed)
      return { localPath, takenAt, location }
    } finally {
      runInAction(() => this.keeping--)
    }
  }
}
