import { hash, verify } from '@node-rs/argon2'

// argon2id (the library's default algorithm) at OWASP's baseline: m = 19 MiB, t = 2, p = 1.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 }

/** Hashes a password with argon2id; the result embeds its salt and parameters. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

/** Tells whether a password matches a stored argon2 hash; a malformed hash never matches. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password)
  } catch {
    return false
  }
}

let dummyHash: Promise<string> | undefined

/**
 * Spends the same time as a real verification, for unknown accounts, so that the answer's
 * timing does not reveal whether an address has an account.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('concord-dummy-password-for-timing')
  await verifyPassword(await dummyHash, password)
  return false
}
