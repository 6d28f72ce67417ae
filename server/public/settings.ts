import { errorResponses, IdParams } from '../../shared/api/common'
import { PublicHome, PublicHomeBody } from '../../shared/api/public-home'
import type { App } from '../app'
import type { Ctx, Origin } from '../context'
import type { Executor } from '../db/database'
import { inTransaction } from '../db/transaction'
import { recordAudit } from '../audit/record'
import { AppError } from '../errors'

// The secretariat's setting for the public home of a process (issue 14, item 7): off by
// default; turned on, the process answers at /p/<slug>. Audited each way.

const tags = ['public record']

function toPublicHome(row: { public_home: boolean; public_slug: string | null }): PublicHome {
  return {
    enabled: row.public_home,
    slug: row.public_slug,
    path: row.public_home && row.public_slug ? `/p/${row.public_slug}` : null,
  }
}

export async function getPublicHome(db: Executor, processId: string): Promise<PublicHome> {
  const row = await db
    .selectFrom('processes')
    .select(['public_home', 'public_slug'])
    .where('id', '=', processId)
    .executeTakeFirstOrThrow()
  return toPublicHome(row)
}

/** Turns the public home on at a slug, or off (the slug is kept for next time). */
export async function setPublicHome(
  ctx: Ctx,
  processId: string,
  body: PublicHomeBody,
  origin: Origin,
): Promise<PublicHome> {
  return inTransaction(ctx.db, async (trx) => {
    const taken = await trx
      .selectFrom('processes')
      .select('id')
      .where('public_slug', '=', body.slug)
      .where('id', '<>', processId)
      .executeTakeFirst()
    if (taken) {
      throw new AppError(409, 'conflict', 'Another process has this public address', {
        field: 'slug',
      })
    }
    const row = await trx
      .updateTable('processes')
      .set({ public_home: body.enabled, public_slug: body.slug, updated_at: new Date() })
      .where('id', '=', processId)
      .returning(['public_home', 'public_slug'])
      .executeTakeFirstOrThrow()
    await recordAudit(trx, origin, {
      processId,
      action: body.enabled ? 'process.public_home_on' : 'process.public_home_off',
      targetType: 'process',
      targetId: processId,
      details: { slug: body.slug },
    })
    return toPublicHome(row)
  })
}

export async function publicHomeSettingsRoutes(app: App) {
  app.get(
    '/api/processes/:id/public-home',
    {
      preHandler: app.guard('process.read'),
      schema: {
        tags,
        summary: 'Whether the process has a public home at /p/:slug, and its address',
        params: IdParams,
        response: { 200: PublicHome, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getPublicHome(app.ctx.db, request.params.id),
  )

  app.put(
    '/api/processes/:id/public-home',
    {
      preHandler: app.guard('process.update'),
      schema: {
        tags,
        summary: 'Turn the public home of the process on (at /p/:slug) or off',
        params: IdParams,
        body: PublicHomeBody,
        response: {
          200: PublicHome,
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => setPublicHome(app.ctx, request.params.id, request.body, app.origin(request)),
  )
}
