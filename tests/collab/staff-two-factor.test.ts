import { generate } from 'otplib'
import { afterAll, describe, expect, it } from 'vitest'
import { CloseCodes } from '../../shared/collab/close-codes'
import { openSocket } from '../support/ws'
import { setUpDocument, signInWithCsrf, startCollabServer } from './harness'

// Issue 12, item 8, on the collaboration socket: a staff session without a second factor is
// refused (final, 4403) like every other route, and gets in once it has set one up.
const server = await startCollabServer({ config: { STAFF_TWO_FACTOR: 'required' } })
afterAll(() => server.close())

describe('staff without a second factor on the socket', () => {
  it('is closed with 4403 before any frame, and admitted once the second factor is on', async () => {
    const { documentId, process } = await setUpDocument(server, ['drafter'])
    const { cookie, csrfToken } = await signInWithCsrf(server.app, process.secretariat)
    const refused = await openSocket(`${server.wsUrl}/${documentId}`, { cookie })
    expect(await refused.closed).toMatchObject({ code: CloseCodes.Forbidden })
    expect(refused.messages).toEqual([])

    const headers = { cookie, 'x-csrf-token': csrfToken }
    const started = await server.app.inject({
      method: 'POST',
      url: '/api/me/two-factor/enrol',
      headers,
      payload: {},
    })
    const { secret } = started.json() as { secret: string }
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) })
    const confirmed = await server.app.inject({
      method: 'POST',
      url: '/api/me/two-factor/confirm',
      headers,
      payload: { code },
    })
    expect(confirmed.statusCode, confirmed.body).toBe(200)

    const admitted = await openSocket(`${server.wsUrl}/${documentId}`, { cookie })
    await expect.poll(() => admitted.messages.length).toBeGreaterThan(0)
    admitted.socket.close()
  })
})
