import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt } from 'node:crypto'
import { generateSecret, generateURI, verify } from 'otplib'
import QRCode from 'qrcode'

// The second factor (issue 12, item 8; OWASP ASVS 2.8): TOTP as RFC 6238 describes it (SHA-1,
// six digits, 30-second steps, which every authenticator app reads), with single-use recovery
// codes. The mechanism lives here; the rules (who must, what needs it) live in service.ts.

/** The issuer authenticator apps show beside the account. */
export const TOTP_ISSUER = 'Concord'
/** Steps of 30 s accepted either side of now, for clocks that drift a little. */
const TOLERANCE_SECONDS = 30
/** How many recovery codes an enrolment gives. */
export const RECOVERY_CODE_COUNT = 10
/** How long the second step of a sign-in may wait for its code. */
export const CHALLENGE_MINUTES = 5
/** Wrong codes one sign-in challenge takes before it ends (the password must be given again). */
export const CHALLENGE_MAX_FAILURES = 5

/**
 * The key that encrypts TOTP secrets, derived from the server secret: a database copy alone
 * does not give anyone the secrets.
 */
function keyFrom(serverSecret: string): Buffer {
  return createHmac('sha256', serverSecret).update('concord totp secret key v1').digest()
}

/** Encrypts a TOTP secret with AES-256-GCM; the result holds its nonce and tag. */
export function encryptTotpSecret(serverSecret: string, secret: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyFrom(serverSecret), iv)
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`
}

/** Decrypts what `encryptTotpSecret` made; a tampered value throws. */
export function decryptTotpSecret(serverSecret: string, stored: string): string {
  const raw = Buffer.from(stored.replace(/^v1\./, ''), 'base64url')
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(serverSecret), raw.subarray(0, 12))
  decipher.setAuthTag(raw.subarray(12, 28))
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
}

/** A new TOTP secret (160 random bits, base32) and what an authenticator app needs to add it. */
export async function newTotpEnrolment(email: string): Promise<{ secret: string; otpauthUri: string; qrCodeSvg: string }> {
  const secret = generateSecret()
  const otpauthUri = generateURI({ issuer: TOTP_ISSUER, label: email, secret })
  const qrCodeSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return { secret, otpauthUri, qrCodeSvg }
}

/**
 * Checks a six-digit code against a secret. It returns the time step it matched, which must
 * be later than `afterTimeStep` (the last one accepted): a code is never accepted twice.
 */
export async function verifyTotp(secret: string, code: string, afterTimeStep: number | null): Promise<number | undefined> {
  if (!/^[0-9]{6}$/.test(code)) {
    return undefined
  }
  const result = await verify({
    secret,
    token: code,
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterTimeStep !== null ? { afterTimeStep } : {}),
  })
  return result.valid && 'timeStep' in result ? result.timeStep : undefined
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** Ten new recovery codes, each ten characters from an unambiguous alphabet (about 49 bits). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)])
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`
  })
}

/** A recovery code as typed (any case, with or without the dash or spaces), as it is hashed. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '')
}
