import { errorResponses, EmptyBody, IdParams } from '../../shared/api/common'
import { DocumentSummary } from '../../shared/api/processes'
import {
  AlignedSection,
  Alignment,
  CreateTranslationBody,
  TranslationList,
  TranslationSectionParams,
} from '../../shared/api/translations'
import type { App } from '../app'
import * as service from './service'

const tags = ['translations']

/**
 * Translations of a document (issue 16, items 1 and 3): every member who may read a
 * document lists its languages and reads a translation's alignment; the secretariat makes a
 * translation (as it makes documents), and those who may edit bring missing sections over and
 * mark translated sections up to date.
 */
export async function translationRoutes(app: App) {
  app.get(
    '/api/documents/:id/translations',
    {
      preHandler: app.documentGuard('documents.read'),
      schema: {
        tags,
        summary:
          'Every language of a document: its source first, then each translation with what is behind',
        params: IdParams,
        response: { 200: TranslationList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.listTranslations(app.ctx, request.document!),
  )

  app.post(
    '/api/documents/:id/translations',
    {
      preHandler: app.documentGuard('documents.create'),
      schema: {
        tags,
        summary:
          'Translate a document into another language of its process (a copy whose sections stay aligned)',
        params: IdParams,
        body: CreateTranslationBody,
        response: { 201: DocumentSummary, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const created = await service.createTranslation(
        app.ctx,
        request.document!,
        request.body,
        app.origin(request),
      )
      return reply.status(201).send(created)
    },
  )

  app.get(
    '/api/documents/:id/alignment',
    {
      preHandler: app.documentGuard('documents.read'),
      schema: {
        tags,
        summary:
          'A translation section by section against its source: aligned, stale (with the source’s redline), missing or removed',
        params: IdParams,
        response: { 200: Alignment, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => service.getAlignment(app.ctx, request.document!),
  )

  app.post(
    '/api/documents/:id/sections/:sectionId/up-to-date',
    {
      preHandler: app.documentGuard('documents.edit'),
      schema: {
        tags,
        summary: 'Mark a translated section as up to date with its source section as it is now',
        params: TranslationSectionParams,
        body: EmptyBody,
        response: { 200: AlignedSection, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.markUpToDate(
        app.ctx,
        request.document!,
        request.params.sectionId,
        app.origin(request),
      ),
  )

  app.post(
    '/api/documents/:id/sections/:sectionId/bring',
    {
      preHandler: app.documentGuard('documents.edit'),
      schema: {
        tags,
        summary: 'Bring a section the source has and this translation lacks over, to be translated',
        params: TranslationSectionParams,
        body: EmptyBody,
        response: { 200: AlignedSection, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      service.bringSection(
        app.ctx,
        request.document!,
        request.params.sectionId,
        app.origin(request),
      ),
  )
}
