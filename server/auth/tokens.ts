import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * A new secret for a session, an API token or a one-time link: 32 random bytes,
 * URL-safe. The secret goes to its holder; only `hashSecret` of it is stored.
 */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url')
}

/**
 * The stored form of a secret: an HMAC keyed with the server's SESSION_SECRET, so a leaked
 * database copy holds nothing that can be replayed as a cookie, token or link.
 */
export function hashSecret(key: string, secret: string): string {
  return createHmac('sha256', key).update(secret).digest('base64url')
}

/** Compares two strings in constant time (for CSRF tokens). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Personal API tokens start with this, so scanners and people can recognise them. */
export const API_TOKEN_PREFIX = 'cct_'
