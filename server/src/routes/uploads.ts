import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { UploadResponse } from '../../../packages/contract/api'
import type { AppContext } from '../context'
import { ApiError } from '../errors'
import { toUploadView } from '../promotion-views'
import type { UploadFields } from '../services/uploads'
import { maySeePhoto } from '../services/photo-access'
import { associated } from './associated'

const FIELD_NAMES = new Set<keyof UploadFields>(['takenAt', 'latitude', 'longitude', 'accuracy', 'mocked', 'purpose'])

/** Multipart limits: one file, a handful of short text fields. */
function limits(maxUploadBytes: number) {
  return { fileSize: maxUploadBytes, files: 1, fields: 10, fieldSize: 256, fieldNameSize: 64, parts: 12, headerPairs: 50 }
}

interface ParsedUpload {
  content: Buffer | null
  fields: UploadFields
  tooLarge: boolean
}

/**
 * Reads the whole multipart body (so the connection is left clean whatever happens): the photo in `file`
 * into memory (at most the limit; beyond it busboy discards the rest and we answer 413), the known text
 * fields, and nothing else (other parts are drained and ignored).
 */
async function readUpload(request: FastifyRequest): Promise<ParsedUpload> {
  const parsed: ParsedUpload = { content: null, fields: {}, tooLarge: false }
  const isTooLarge = (error: unknown) => (error as { code?: unknown })?.code === 'FST_REQ_FILE_TOO_LARGE'
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || parsed.content !== null || parsed.tooLarge) {
          part.file.resume()
          continue
        }
        try {
          parsed.content = await part.toBuffer()
        } catch (error) {
          if (!isTooLarge(error)) throw error
          parsed.tooLarge = true
        }
      } else if (FIELD_NAMES.has(part.fieldname as keyof UploadFields) && typeof part.value === 'string' && !part.valueTruncated) {
        parsed.fields[part.fieldname as keyof UploadFields] = part.value
      }
    }
  } catch (error) {
    // the parser reports the size limit once more when the body ends
    if (isTooLarge(error)) parsed.tooLarge = true
    else if (error instanceof ApiError) throw error
    else {
      const code = (error as { code?: unknown })?.code
      const message = code === 'FST_FILES_LIMIT' ? 'Send one photo per upload.' : 'The multipart body could not be read.'
      throw new ApiError(400, 'VALIDATION_FAILED', message)
    }
  }
  return parsed
}

/** Photos: POST /api/uploads (multipart) and GET /api/uploads/:id; behind the association hook. */
export function uploadRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    // Scoped to this plugin: no other endpoint accepts multipart bodies.
    await app.register(multipart, { limits: limits(ctx.maxUploadBytes), throwFileSizeLimit: true })

    app.post('/uploads', async (request, reply): Promise<UploadResponse> => {
      const { staff } = associated(request)
      if (!request.isMultipart()) {
        throw new ApiError(400, 'VALIDATION_FAILED', 'Send the photo as multipart/form-data in the field "file".')
      }
      const { content, fields, tooLarge } = await readUpload(request)
      if (tooLarge) throw new ApiError(413, 'FILE_TOO_LARGE', `The photo is larger than ${ctx.maxUploadBytes} bytes.`)
      if (!content) throw new ApiError(400, 'PHOTO_REQUIRED', 'Send the photo in the field "file".')
      const { created, upload, check } = await ctx.uploads.save(staff.id, content, fields)
      reply.code(created ? 201 : 200)
      return toUploadView(upload, check)
    })

    app.get<{ Params: { id: string } }>('/uploads/:id', async (request, reply) => {
      const { staff } = associated(request)
      const upload = await ctx.repos.uploads.findById(request.params.id)
      if (!upload) throw new ApiError(404, 'NOT_FOUND', 'No such photo.')
      if (!(await maySeePhoto(ctx.repos, staff.id, upload))) throw new ApiError(403, 'FORBIDDEN', 'This photo belongs to another staff member.')
      const content = await ctx.uploads.read(upload)
      if (!content) throw new ApiError(404, 'NOT_FOUND', 'The photo file is missing.')
      return reply
        .type(upload.mime)
        .headers({ 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff', 'content-disposition': 'inline' })
        .send(content)
    })
  }
}
