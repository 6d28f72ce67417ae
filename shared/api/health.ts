import { Type } from 'typebox'

/**
 * What `/api/health` answers: 200 `{"status":"ok"}` while the database answers, 503
 * `{"status":"degraded","database":"unavailable"}` while it does not (the server still takes
 * collaboration edits then and holds them until the database is back; issue 12, item 4).
 */
export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], {
    description:
      '`ok` when the server can serve everything; `degraded` while the database cannot be reached.',
  }),
  database: Type.Optional(
    Type.Literal('unavailable', { description: 'Present while the database cannot be reached.' }),
  ),
})
