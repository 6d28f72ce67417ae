import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { errorResponses } from '../../shared/api/common'
import { ProseMirrorDoc } from '../../shared/api/documents'
import type { DocumentExport } from './service'

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
    },
  },
  ...errorResponses(400, 401, 403, 404),
}

/** Sends a rendering inline, with its file name, and an HTML one under the inert-page policy. */
export function sendExport(reply: FastifyReply, rendering: DocumentExport) {
  reply
    .header('content-type', rendering.contentType)
    .header('content-disposition', `inline; filename="${rendering.fileName}"`)
    .header('x-content-type-options', 'nosniff')
  if (rendering.format === 'html') {
    reply.header('content-security-policy', EXPORT_CSP)
  }
  return reply.send(rendering.body)
}
