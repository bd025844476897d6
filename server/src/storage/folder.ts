import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { checkPhotoName, type PhotoStore } from './port'

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

/**
 * Photos as files in `dir` (created, mode 0700, when missing; an existing folder keeps its mode). A write
 * goes to a hidden temporary file in the same folder (mode 0600, flushed to disk) and is renamed into place,
 * so a reader sees the whole old file or the whole new one, never a part. Temporary names start with a dot,
 * which no photo name may, so they never collide with a photo.
 */
export function createFolderStore(dir: string): PhotoStore {
  const root = path.resolve(dir)
  fs.mkdirSync(root, { recursive: true, mode: 0o700 })
  const fileOf = (name: string) => path.join(root, checkPhotoName(name))

  return {
    kind: 'folder',

    async put(name: string, bytes: Buffer): Promise<void> {
      const file = fileOf(name)
      const temp = path.join(root, `.${name}.${randomBytes(6).toString('hex')}.tmp`)
      try {
        const handle = await fs.promises.open(temp, 'wx', 0o600)
        try {
          await handle.writeFile(bytes)
          await handle.sync()
        } finally {
          await handle.close()
        }
        await fs.promises.rename(temp, file)
      } catch (error) {
        await fs.promises.rm(temp, { force: true })
        throw error
      }
    },

    async get(name: string): Promise<Buffer | null> {
      const file = fileOf(name)
      try {
        return await fs.promises.readFile(file)
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
    },

    async exists(name: string): Promise<boolean> {
      const file = fileOf(name)
      try {
        return (await fs.promises.stat(file)).isFile()
      } catch (error) {
        if (isMissing(error)) return false
        throw error
      }
    },

    async delete(name: string): Promise<void> {
      await fs.promises.rm(fileOf(name), { force: true })
    },

    async check(): Promise<void> {
      const stat = await fs.promises.stat(root)
      if (!stat.isDirectory()) throw new Error(`${root} is not a folder`)
      await fs.promises.access(root, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK)
    },

    describe: () => `folder ${root}`,

    close: () => undefined,
  }
}
