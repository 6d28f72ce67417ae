import { isUtf8 } from 'node:buffer'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { badRequest } from '../errors'

// Strict request bodies (issue 12, item 6). Node decodes a body as UTF-8 by replacing every
// invalid byte with U+FFFD, and JSON.parse takes a lone `\ud800` escape as it is; either way a
// document was renamed "P8 �(����…" and stored. These parsers read the raw bytes and refuse,
// with a 400 in the one error shape, anything that is not well-formed Unicode text, so nothing
// that reaches a handler needs repairing.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const notUtf8 = () => badRequest('The request body is not valid UTF-8 text')

/**
 * Refuses a body whose Content-Type names a charset other than UTF-8 (`charset=latin1`): the
 * server reads every body as UTF-8, so any other charset would be stored garbled.
 */
function assertUtf8Charset(request: FastifyRequest): void {
  const header = request.headers['content-type'] ?? ''
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(header)
  if (match && !/^utf-?8$/i.test(match[1] ?? '')) {
    throw badRequest('Send the request body as UTF-8 (charset=utf-8)')
  }
}

/** Whether a parsed JSON value holds, in any string or key, a lone UTF-16 surrogate. */
function hasLoneSurrogate(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') {
    return LONE_SURROGATE.test(value)
  }
  if (value === null || typeof value !== 'object' || depth > 256) {
    return false
  }
  if (Array.isArray(value)) {
    return value.some((item) => hasLoneSurrogate(item, depth + 1))
  }
  return Object.entries(value).some(([key, item]) => LONE_SURROGATE.test(key) || hasLoneSurrogate(item, depth + 1))
}

/**
 * Replaces Fastify's JSON parser with one that checks the bytes are UTF-8 and the text has no
 * lone surrogate before the value reaches validation; it keeps Fastify's protection against
 * `__proto__` and `constructor` keys.
 */
export function useStrictJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  // The API speaks JSON only: text/plain bodies (decoded loosely, like JSON) are refused too.
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      assertUtf8Charset(request)
      const bytes = body as Buffer
      if (!isUtf8(bytes)) {
        throw notUtf8()
      }
      void parseJson(request, bytes.toString('utf8'), (error, value) => {
        if (error) {
          done(error, undefined)
        } else if (hasLoneSurrogate(value)) {
          done(badRequest('The request body holds a lone UTF-16 surrogate (such as \\ud800)'), undefined)
        } else {
          done(null, value)
        }
      })
    } catch (error) {
      done(error as Error, undefined)
    }
  })
}

/**
 * Parses `application/x-www-form-urlencoded` bodies strictly: a broken `%` escape or escapes
 * that are not UTF-8 (`%C3%28`) are a 400, where the usual parsers keep them as they are or
 * as U+FFFD. A field sent twice becomes an array, as with `@fastify/formbody`.
 */
export function parseForm(text: string): Record<string, string | string[]> {
  const fields = new Map<string, string | string[]>()
  for (const part of text.split('&')) {
    if (part === '') {
      continue
    }
    const at = part.indexOf('=')
    const decode = (raw: string) => {
      try {
        return decodeURIComponent(raw.replace(/\+/g, ' '))
      } catch {
        throw badRequest('The form holds a broken or non-UTF-8 percent escape')
      }
    }
    const key = decode(at === -1 ? part : part.slice(0, at))
    const value = at === -1 ? '' : decode(part.slice(at + 1))
    const previous = fields.get(key)
    fields.set(key, previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value])
  }
  // Object.fromEntries defines own properties, so a field named __proto__ is only a field.
  return Object.fromEntries(fields)
}

/** Accepts url-encoded forms in the plugin it is called in, with the given body limit. */
export function useStrictFormParser(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    try {
      assertUtf8Charset(request)
      const bytes = body as Buffer
      if (!isUtf8(bytes)) {
        throw notUtf8()
      }
      done(null, parseForm(bytes.toString('utf8')))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
}
