import type { Socket } from 'node:net'
import type { CollabLimits } from '../../shared/collab/limits'

// Budgets of frames and bytes a second, per connection, per user and per address (issue 12,
// item 2). They are checked on the raw frame, before anything is decoded, so a flood costs the
// server a subtraction per frame until the sender is closed with `CloseCodes.SlowDown`.

/** A token bucket: `rate` units a second, at most `capacity` saved up. */
export class Bucket {
  #tokens: number
  #at: number

  constructor(
    readonly rate: number,
    readonly capacity: number,
    now: number,
  ) {
    this.#tokens = capacity
    this.#at = now
  }

  /** Takes `amount` units if the bucket holds them (after refilling to `now`); else takes nothing. */
  take(amount: number, now: number): boolean {
    this.#refill(now)
    if (this.#tokens < amount) {
      return false
    }
    this.#tokens -= amount
    return true
  }

  /** Tells whether the bucket is full again at `now`, so forgetting it changes nothing. */
  isFull(now: number): boolean {
    this.#refill(now)
    return this.#tokens >= this.capacity
  }

  #refill(now: number): void {
    if (now > this.#at) {
      this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#at) / 1000) * this.rate)
      this.#at = now
    }
  }
}

/** A budget of frames and bytes, shared by the connections that hold it. */
interface Budget {
  frames: Bucket
  bytes: Bucket
  holders: number
}

/** Which budget a frame exceeded, for the log. */
export type BudgetScope = 'connection' | 'user' | 'address'

/** The budgets one connection spends from: its own, its user's and its address's. */
export interface ConnectionFlow {
  /**
   * Spends one frame of `bytes` from every budget. Returns the first budget that could not pay,
   * or undefined when all could.
   */
  takeFrame(bytes: number): BudgetScope | undefined
  /** Spends `frames` WebSocket frames as they come off the wire from the connection's own budget. */
  takeWireFrames(frames: number): boolean
  /** Spends `bytes` sent back to the connection (a repeated sync answer) from its own budget. */
  takeAnswer(bytes: number): boolean
  /** Lets go of the shared budgets once the connection closed. */
  release(): void
}

/**
 * The shared budgets of one server instance. A user's or an address's budget is kept after
 * its last connection closed until it has refilled, so reconnecting does not reset it.
 */
export class FlowBudgets {
  readonly #perUser = new Map<string, Budget>()
  readonly #perAddress = new Map<string, Budget>()
  /** WebSocket frames handed to ws to parse since the server started, for tests and the benchmark. */
  framesRead = 0

  constructor(
    private readonly limits: CollabLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The budgets of a new connection of `userId` from `ip`. */
  open(userId: string, ip: string): ConnectionFlow {
    const limits = this.limits
    const now = this.now()
    const own = this.#budget(
      limits.maxFramesPerSecondPerConnection,
      limits.maxBytesPerSecondPerConnection,
      now,
    )
    const user = this.#hold(
      this.#perUser,
      userId,
      limits.maxFramesPerSecondPerUser,
      limits.maxBytesPerSecondPerUser,
      now,
    )
    const address = this.#hold(
      this.#perAddress,
      ip,
      limits.maxFramesPerSecondPerAddress,
      limits.maxBytesPerSecondPerAddress,
      now,
    )
    const burst = limits.budgetBurstSeconds
    const wire = new Bucket(
      limits.maxWireFramesPerSecondPerConnection,
      limits.maxWireFramesPerSecondPerConnection * burst,
      now,
    )
    let released = false
    return {
      takeWireFrames: (frames) => {
        if (frames > 0 && !wire.take(frames, this.now())) {
          return false
        }
        this.framesRead += frames
        return true
      },
      takeFrame: (bytes) => {
        const at = this.now()
        for (const [scope, budget] of [
          ['connection', own],
          ['user', user],
          ['address', address],
        ] as const) {
          if (!budget.frames.take(1, at) || !budget.bytes.take(bytes, at)) {
            return scope
          }
        }
        return undefined
      },
      takeAnswer: (bytes) => own.bytes.take(bytes, this.now()),
      release: () => {
        if (!released) {
          released = true
          this.#let(this.#perUser, userId, user)
          this.#let(this.#perAddress, ip, address)
        }
      },
    }
  }

  /** How many shared budgets are held, for tests: they must not grow without bound. */
  size(): number {
    return this.#perUser.size + this.#perAddress.size
  }

  #budget(frames: number, bytes: number, now: number): Budget {
    const burst = this.limits.budgetBurstSeconds
    return {
      frames: new Bucket(frames, frames * burst, now),
      bytes: new Bucket(bytes, bytes * burst, now),
      holders: 0,
    }
  }

  #hold(
    budgets: Map<string, Budget>,
    key: string,
    frames: number,
    bytes: number,
    now: number,
  ): Budget {
    let budget = budgets.get(key)
    if (!budget) {
      budget = this.#budget(frames, bytes, now)
      budgets.set(key, budget)
    }
    budget.holders++
    return budget
  }

  #let(budgets: Map<string, Budget>, key: string, budget: Budget): void {
    budget.holders--
    if (budget.holders > 0) {
      return
    }
    const forget = () => {
      if (budget.holders > 0 || budgets.get(key) !== budget) {
        return
      }
      const now = this.now()
      if (budget.frames.isFull(now) && budget.bytes.isFull(now)) {
        budgets.delete(key)
      } else {
        setTimeout(forget, 1000).unref()
      }
    }
    forget()
  }
}

/**
 * Counts the WebSocket frames in the bytes a client sends, before `ws` parses them: a message
 * may come in many frames (fragments) and control frames (pings) come between, and each frame
 * costs `ws` as much to parse as a whole small message, while the budgets above see one
 * message (issue 12, item 2: empty continuation frames, 16,000 to a message, held a
 * bystander's p99 at 1.3 s). It reads only the headers (2 to 14 bytes) and skips the payloads.
 */
export class FrameCounter {
  readonly #header = new Uint8Array(14)
  readonly #view = new DataView(this.#header.buffer)
  #have = 0
  #skip = 0

  /** The number of frame headers that end in `chunk`, the continuation of what came before. */
  count(chunk: Uint8Array): number {
    let frames = 0
    let at = 0
    while (at < chunk.length) {
      if (this.#skip > 0) {
        const skipped = Math.min(this.#skip, chunk.length - at)
        this.#skip -= skipped
        at += skipped
        continue
      }
      this.#header[this.#have++] = chunk[at++]!
      if (this.#have < 2) {
        continue
      }
      const short = this.#header[1]! & 0x7f
      const needed =
        2 + (short === 126 ? 2 : short === 127 ? 8 : 0) + (this.#header[1]! & 0x80 ? 4 : 0)
      if (this.#have < needed) {
        continue
      }
      frames++
      this.#have = 0
      this.#skip =
        short === 126
          ? this.#view.getUint16(2)
          : short === 127
            ? this.#view.getUint32(2) * 2 ** 32 + this.#view.getUint32(6)
            : short
    }
    return frames
  }
}

/** The part of the `net.Socket` under a WebSocket that `limitFrames` needs. */
export type RawSocket = Pick<
  Socket,
  'listeners' | 'removeListener' | 'on' | 'pause' | 'read' | 'end'
>

/**
 * Stops handing a socket's bytes to ws and ends its side once what was written (the close
 * frame) is out (`stop`); drops what it holds unread before it is destroyed (`drop`).
 */
export interface InputStop {
  stop(): void
  drop(): void
}

/**
 * Puts a frame budget in front of `ws`'s reading of `raw`: every chunk's frames are counted
 * and taken from `take` first, and a chunk that does not fit is never handed to `ws`;
 * `onExceeded` is told once (and should close the connection). `stop` of what it returns
 * hands nothing more to `ws`, stops reading and ends the socket after what was written to it
 * (the close frame goes out first, and the client need not wait for us to read its answer);
 * `drop` discards what the socket holds unread, which ws would otherwise parse when it closes.
 */
export function limitFrames(
  raw: RawSocket,
  take: (frames: number) => boolean,
  onExceeded: () => void,
): InputStop {
  const readers = raw.listeners('data') as ((chunk: Buffer) => void)[]
  for (const reader of readers) {
    raw.removeListener('data', reader)
  }
  const counter = new FrameCounter()
  let stopped = false
  raw.on('data', (chunk: Buffer) => {
    if (stopped) {
      return
    }
    if (!take(counter.count(chunk))) {
      stopped = true
      onExceeded()
      return
    }
    for (const reader of readers) {
      // ws's reader finds its WebSocket through `this`.
      Reflect.apply(reader, raw, [chunk])
    }
  })
  return {
    stop: () => {
      stopped = true
      raw.end()
    },
    drop: () => {
      while (raw.read() !== null) {
        // discarded
      }
    },
  }
}
