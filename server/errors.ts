import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorBody, ErrorCode } from '../shared/errors'
import { isDatabaseUnavailable } from './db/unavailable'

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429

/** An error a service throws on purpose; the error handler turns it into its `ErrorBody`. */
export class AppError extends Error {
  constructor(
    readonly statusCode: ErrorStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`)
export const forbidden = (message = 'You may not do this') => new AppError(403, 'forbidden', message)
export const unauthenticated = () => new AppError(401, 'unauthenticated', 'Sign in first')
export const conflict = (message: string) => new AppError(409, 'conflict', message)
export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'validation_failed', message, details)

/**
 * The one error handler (STYLE 2.7): validation errors → 400, too-large bodies → 413,
 * `AppError` → its own status, the database out of reach → 503 with `Retry-After` (issue 12,
 * item 4), anything else → 500 with a generic message while the real error goes to the log
 * with the request id.
 */
export async function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const body = toErrorBody(error)
  if (body.statusCode === 503) {
    // Not a fault of this request or of the code: PostgreSQL is restarting or out of reach.
    request.log.warn({ err: error, reqId: request.id }, 'request failed: database unavailable')
    reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
  } else if (body.statusCode >= 500) {
    request.log.error({ err: error, reqId: request.id }, 'request failed')
  }
  if (body.statusCode === 413 && !request.raw.complete) {
    // Closing while the client still sends resets the connection, and the client loses the
    // answer (issue 12, item 6): read the rest of the body and drop it, then answer and close.
    if (!(await drainBody(request))) {
      request.raw.socket.destroy()
      return reply
    }
    reply.header('connection', 'close')
  }
  return reply.status(body.statusCode).send(body)
}

/** What a 503 `database_unavailable` tells the client to wait before it tries again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5

/** The most bytes and time the server spends reading an oversized body it will not use. */
export const DRAIN_LIMITS = { bytes: 64 * 1024 * 1024, ms: 15_000 }

/** Reads and discards the rest of a request body; false when it is longer or slower than DRAIN_LIMITS. */
function drainBody(request: FastifyRequest): Promise<boolean> {
  const raw = request.raw
  if (raw.readableEnded || raw.destroyed) {
    // Nothing is left to read (an injected request, or a body already read to its end).
    return Promise.resolve(!raw.destroyed)
  }
  return new Promise((resolve) => {
    let bytes = 0
    const finish = (ok: boolean) => {
      clearTimeout(timer)
      raw.off('data', onData)
      raw.off('end', onEnd)
      raw.off('error', onError)
      raw.off('close', onClose)
      resolve(ok)
    }
    const onData = (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > DRAIN_LIMITS.bytes) {
        finish(false)
      }
    }
    const onEnd = () => finish(true)
    const onError = () => finish(false)
    const onClose = () => finish(raw.complete)
    const timer = setTimeout(() => finish(false), DRAIN_LIMITS.ms)
    raw.on('data', onData)
    raw.once('end', onEnd)
    raw.once('error', onError)
    raw.once('close', onClose)
    raw.resume()
  })
}

function toErrorBody(error: FastifyError | Error): ErrorBody {
  if (error instanceof AppError) {
    return withDetails({ statusCode: error.statusCode, code: error.code, message: error.message }, error.details)
  }
  const fastifyError = error as FastifyError
  // A unique constraint lost a race (two parallel requests creating the same thing): the
  // loser is told it exists, and its transaction has already rolled back.
  if (fastifyError.code === '23505') {
    return { statusCode: 409, code: 'conflict', message: 'This exists already' }
  }
  // Text PostgreSQL cannot store (a NUL character, in text or in JSON): the client's input is
  // wrong, and the statement changed nothing.
  if (fastifyError.code === '22021' || fastifyError.code === '22P05') {
    return { statusCode: 400, code: 'validation_failed', message: 'Text may not contain NUL characters' }
  }
  if (fastifyError.validation) {
    const details = fastifyError.validation.map((v) => ({
      path: `${fastifyError.validationContext ?? 'body'}${v.instancePath}`,
      message: v.message ?? 'is invalid',
    }))
    return { statusCode: 400, code: 'validation_failed', message: fastifyError.message, details }
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { statusCode: 413, code: 'payload_too_large', message: 'The request body is too large' }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { statusCode: 400, code: 'validation_failed', message: fastifyError.message }
    default:
      break
  }
  if (fastifyError.statusCode === 429) {
    return { statusCode: 429, code: 'rate_limited', message: 'Too many requests; try again later' }
  }
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { statusCode: fastifyError.statusCode, code: 'validation_failed', message: fastifyError.message }
  }
  if (isDatabaseUnavailable(error)) {
    return {
      statusCode: 503,
      code: 'database_unavailable',
      message: 'The database cannot be reached at the moment; try again shortly',
    }
  }
  return { statusCode: 500, code: 'internal', message: 'Internal error' }
}

function withDetails(body: ErrorBody, details: unknown): ErrorBody {
  return details === undefined ? body : { ...body, details }
}
