import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { errorResponses } from '../../shared/api/common'
import { ProseMirrorDoc } from '../../shared/api/documents'
import { DOCX_CONTENT_TYPE, type DocumentExport } from './service'

// Exports are read by people and saved as files: nothing in them may run or load anything,
// whatever the document holds (STYLE 2.10). `sandbox` also gives the page a unique origin.
const EXPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"

/** The responses of an export route (a document's or a version's), for its schema. */
export const EXPORT_RESPONSES = {
  200: {
    description: 'The rendering, in the content type of its format.',
    content: {
      'text/html': { schema: Type.String() },
      'text/markdown': { schema: Type.String() },
      'application/json': { schema: ProseMirrorDoc },
      [DOCX_CONTENT_TYPE]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
    },
  },
  ...errorResponses(400, 401, 403, 404),
}

/** The responses of a route that only sends a .docx file. */
export const DOCX_RESPONSES = {
  200: {
    description: 'A Word document, as an attachment.',
    content: {
      [DOCX_CONTENT_TYPE]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
    },
  },
  ...errorResponses(400, 401, 403, 404),
}

/**
 * Sends a rendering inline, with its file name, and an HTML one under the inert-page policy; a
 * .docx file, which no browser shows, as an attachment.
 */
export function sendExport(reply: FastifyReply, rendering: DocumentExport) {
  const disposition = rendering.format === 'docx' ? 'attachment' : 'inline'
  reply
    .header('content-type', rendering.contentType)
    .header('content-disposition', `${disposition}; filename="${rendering.fileName}"`)
    .header('x-content-type-options', 'nosniff')
  if (rendering.format === 'html') {
    reply.header('content-security-policy', EXPORT_CSP)
  }
  return reply.send(rendering.body)
}
