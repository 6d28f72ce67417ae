import { Type } from 'typebox'
import type { FastifyRequest } from 'fastify'
import { errorResponses, IdParams } from '../../shared/api/common'
import { ExportQuery } from '../../shared/api/documents'
import { Comparison, CompareExportQuery, CompareQuery } from '../../shared/api/comparison'
import { CreateVersionBody, Version, VersionParams } from '../../shared/api/versions'
import type { Action } from '../../shared/domain/permissions'
import type { App } from '../app'
import { requireActor } from '../auth/guard'
import { toVersion } from './present'
import * as service from './service'
import { DOCX_RESPONSES, EXPORT_RESPONSES, sendExport } from '../documents/send-export'

const tags = ['versions']

/**
 * Named, immutable versions of documents (issue 6, item 1): the secretariat freezes a
 * document's current stored state; every member who may read the document may read its
 * versions. Versions of a process the caller is not a member of are 404.
 */
export async function versionRoutes(app: App) {
  const versionAccess = (request: FastifyRequest, action: Action) =>
    service.authorizeVersion(
      app.ctx.db,
      requireActor(request),
      (request.params as { versionId: string }).versionId,
      action,
    )

  app.post(
    '/api/documents/:id/versions',
    {
      preHandler: app.documentGuard('versions.create'),
      schema: {
        tags,
        summary: "Freeze the document's current content as a named, immutable version",
        params: IdParams,
        body: CreateVersionBody,
        response: { 201: Version, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const version = await service.createVersion(
        app.ctx,
        request.document!,
        request.body.name,
        app.origin(request),
      )
      return reply.status(201).send(version)
    },
  )

  app.get(
    '/api/documents/:id/versions',
    {
      preHandler: app.documentGuard('documents.read'),
      schema: {
        tags,
        summary: 'The versions of a document, by number',
        params: IdParams,
        response: { 200: Type.Array(Version), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.listVersions(app.ctx, request.document!.id),
  )

  app.get(
    '/api/versions/:versionId',
    {
      schema: {
        tags,
        summary: 'A version',
        params: VersionParams,
        response: { 200: Version, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => toVersion((await versionAccess(request, 'documents.read')).version),
  )

  app.get(
    '/api/versions/:versionId/export',
    {
      schema: {
        tags,
        summary: 'The frozen content of a version as an HTML page, Markdown or ProseMirror JSON',
        params: VersionParams,
        querystring: ExportQuery,
        response: EXPORT_RESPONSES,
      },
    },
    async (request, reply) => {
      const { version } = await versionAccess(request, 'documents.read')
      const rendering = await service.exportVersion(
        app.ctx,
        requireActor(request),
        version,
        request.query.format,
      )
      return sendExport(reply, rendering)
    },
  )

  app.get(
    '/api/versions/:versionId/compare',
    {
      schema: {
        tags,
        summary:
          'Compare a version with another version of its document or with the live draft, section by section',
        params: VersionParams,
        querystring: CompareQuery,
        response: { 200: Comparison, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { version } = await versionAccess(request, 'documents.read')
      return service.compareVersion(app.ctx, requireActor(request), version, request.query.to)
    },
  )

  app.get(
    '/api/versions/:versionId/compare/export',
    {
      schema: {
        tags,
        summary:
          'Download a comparison as a .docx file, insertions and deletions marked as tracked changes',
        params: VersionParams,
        querystring: CompareExportQuery,
        response: DOCX_RESPONSES,
      },
    },
    async (request, reply) => {
      const { version } = await versionAccess(request, 'documents.read')
      const file = await service.exportComparison(
        app.ctx,
        requireActor(request),
        version,
        request.query.to,
      )
      return sendExport(reply, { format: 'docx', ...file })
    },
  )
}
