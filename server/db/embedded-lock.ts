import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

/** Raised when another live process holds the embedded database. */
export class DataDirLockedError extends Error {
  constructor(dataDir: string, owner: string) {
    super(
      `The embedded database in ${dataDir} is in use by another process (${owner}). ` +
        'Stop that process first, or point DATA_DIR at another folder. ' +
        'PGlite can be opened by one process at a time.',
    )
  }
}

/**
 * Takes the exclusive lock on an embedded data folder, so that a second server or a CLI
 * run never opens the same PGlite files while they are in use (two writers would corrupt
 * them). The lock is a file holding the owner's pid and host; a lock left by a process
 * that died (kill -9) is taken over, because that process can no longer write.
 * Returns the function that releases the lock.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'concord.lock')
  const me = `${process.pid}@${hostname()}`
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, me)
      closeSync(fd)
      return () => {
        try {
          if (readFileSync(file, 'utf8') === me) {
            unlinkSync(file)
          }
        } catch {
          // Already gone: nothing to release.
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error
      }
    }
    let owner = ''
    try {
      owner = readFileSync(file, 'utf8')
    } catch {
      continue // Released between our two calls: try again.
    }
    if (ownerIsAlive(owner)) {
      throw new DataDirLockedError(dataDir, owner)
    }
    // Stale lock: move it aside atomically so only one contender removes it.
    try {
      renameSync(file, `${file}.stale-${process.pid}`)
      unlinkSync(`${file}.stale-${process.pid}`)
    } catch {
      // Someone else took it over first; the next attempt sees their lock.
    }
  }
  throw new DataDirLockedError(dataDir, 'unknown')
}

function ownerIsAlive(owner: string): boolean {
  const [pidText, host] = owner.split('@')
  const pid = Number(pidText)
  if (!Number.isInteger(pid) || pid <= 0) {
    return false
  }
  if (host !== hostname()) {
    // Another machine or container shares this folder: we cannot tell, so stay safe.
    return true
  }
  if (pid === process.pid) {
    return true
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
