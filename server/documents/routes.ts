import { Type } from 'typebox'
import { errorResponses, IdParams, Ok } from '../../shared/api/common'
import { CreateDocumentBody, Created, DocumentSummary } from '../../shared/api/processes'
import {
  ExportQuery,
  IMPORT_LIMITS,
  ImportDocumentBody,
  ImportResult,
  RenameDocumentBody,
  Section,
} from '../../shared/api/documents'
import type { App } from '../app'
import { requireActor } from '../auth/guard'
import { toDocumentSummary } from './present'
import * as service from './service'
import { EXPORT_RESPONSES, sendExport } from './send-export'

const tags = ['documents']

export async function documentRoutes(app: App) {
  app.get(
    '/api/processes/:id/documents',
    {
      preHandler: app.guard('documents.read'),
      schema: {
        tags,
        summary: 'Documents of a process',
        params: IdParams,
        response: { 200: Type.Array(DocumentSummary), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.listDocuments(app.ctx, request.params.id),
  )

  app.post(
    '/api/processes/:id/documents',
    {
      preHandler: app.guard('documents.create'),
      schema: {
        tags,
        summary: 'Create a document, empty or from a template',
        params: IdParams,
        body: CreateDocumentBody,
        response: { 201: Created, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const created = await service.createDocument(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.body,
        app.origin(request),
      )
      return reply.status(201).send(created)
    },
  )

  app.post(
    '/api/processes/:id/documents/import',
    {
      preHandler: app.guard('documents.create'),
      // The one route that takes a whole file; every other route keeps the small global limit.
      bodyLimit: IMPORT_LIMITS.bodyBytesMax,
      schema: {
        tags,
        summary: 'Create a document from Markdown or a .docx file; headings become sections',
        params: IdParams,
        body: ImportDocumentBody,
        response: { 201: ImportResult, ...errorResponses(400, 401, 403, 404, 409, 413) },
      },
    },
    async (request, reply) => {
      const result = await service.importDocument(
        app.ctx,
        request.params.id,
        request.body,
        app.origin(request),
      )
      return reply.status(201).send(result)
    },
  )

  app.get(
    '/api/documents/:id',
    {
      preHandler: app.documentGuard('documents.read'),
      schema: {
        tags,
        summary: 'A document',
        params: IdParams,
        response: { 200: DocumentSummary, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => toDocumentSummary(request.document!),
  )

  app.patch(
    '/api/documents/:id',
    {
      preHandler: app.documentGuard('documents.manage'),
      schema: {
        tags,
        summary: 'Rename a document',
        params: IdParams,
        body: RenameDocumentBody,
        response: { 200: DocumentSummary, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.renameDocument(app.ctx, request.document!, request.body.title, app.origin(request)),
  )

  app.delete(
    '/api/documents/:id',
    {
      preHandler: app.documentGuard('documents.manage'),
      schema: {
        tags,
        summary: 'Delete a document',
        params: IdParams,
        response: { 200: Ok, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await service.deleteDocument(app.ctx, request.document!, app.origin(request))
      return { ok: true as const }
    },
  )

  app.get(
    '/api/documents/:id/sections',
    {
      preHandler: app.documentGuard('documents.read'),
      schema: {
        tags,
        summary: "The document's sections (headings) in order",
        params: IdParams,
        response: { 200: Type.Array(Section), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.listSections(app.ctx, request.document!.id),
  )

  app.get(
    '/api/documents/:id/export',
    {
      preHandler: app.documentGuard('documents.read'),
      schema: {
        tags,
        summary: 'The document as an HTML page, Markdown or ProseMirror JSON',
        params: IdParams,
        querystring: ExportQuery,
        response: EXPORT_RESPONSES,
      },
    },
    async (request, reply) => {
      const rendering = await service.exportDocument(
        app.ctx,
        requireActor(request),
        request.document!,
        request.query.format,
      )
      return sendExport(reply, rendering)
    },
  )
}
