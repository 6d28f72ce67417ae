import { Type, type Static } from 'typebox'
import { Slug } from './consultations'

/** The public home of a process at /p/:slug (issue 14, item 7), as its settings show it. */
export const PublicHome = Type.Object({
  enabled: Type.Boolean({ description: 'The public home answers at `path`; off by default.' }),
  slug: Type.Union([Type.String(), Type.Null()], { description: 'The address kept for it, on or off.' }),
  path: Type.Union([Type.String(), Type.Null()], { description: '`/p/<slug>` while it is on.' }),
})
export type PublicHome = Static<typeof PublicHome>

export const PublicHomeBody = Type.Object(
  {
    enabled: Type.Boolean(),
    slug: Type.String({ ...Slug, description: 'The public address: /p/<slug>. Lowercase letters, digits and dashes.' }),
  },
  { additionalProperties: false },
)
export type PublicHomeBody = Static<typeof PublicHomeBody>
