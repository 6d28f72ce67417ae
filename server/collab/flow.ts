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
    let released = false
    return {
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
