import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { randomBytes } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { DomainEvents, EventBus } from '../events'
import type { RoomFanout } from './room'

/** What a fan-out delivers to this instance's rooms. */
export interface FanoutRoom {
  receiveRemoteUpdate(seq: number, update: Uint8Array): void
  receiveRemoteAwareness(update: Uint8Array): void
  /** The presence of this instance's own connections, encoded, or null when there is none. */
  localAwareness(): Uint8Array | null
}

/**
 * Carries committed document updates (with their sequence numbers), presence and domain
 * events between server instances. Delivery may lose messages: rooms notice gaps by sequence
 * number and read what they missed from PostgreSQL, the source of truth (issue 3, item 7).
 */
export interface Fanout extends RoomFanout {
  /** Starts delivering a document's updates and presence to `room`. */
  watch(documentId: string, room: FanoutRoom): void
  /** Stops delivering to the document's room. */
  unwatch(documentId: string): void
  close(): Promise<void>
}

/** The publish/subscribe transport under a fan-out: Redis in production. At-most-once. */
export interface PubSubClient {
  publish(channel: string, message: Uint8Array): void
  subscribe(channel: string): void
  unsubscribe(channel: string): void
  /** Sets the one handler of every message on a subscribed channel. */
  onMessage(handler: (channel: string, message: Uint8Array) => void): void
  close(): Promise<void>
}

const Kind = { Update: 1, Awareness: 2, Event: 3, AwarenessQuery: 4 } as const
const EVENTS_CHANNEL = 'concord:events'
const FORWARDED_EVENTS = [
  'membership.changed',
  'credentials.ended',
  'document.deleted',
  'document.appended',
  'thread.changed',
  'notification.created',
  'workshop.changed',
] as const satisfies readonly (keyof DomainEvents)[]
const docChannel = (documentId: string) => `concord:doc:${documentId}`

/**
 * A fan-out over a publish/subscribe transport. Each message names the instance that sent it,
 * so an instance ignores its own. Updates from another instance are handed to the room with
 * their sequence number and never stored again (Hocuspocus `shouldSkipStoreHooks`); the room
 * reads the log when a number is missing. Membership, sign-out and deletion events are forwarded both
 * ways between the local event bus and the other instances, so a role change or a sign-out
 * made through one instance reaches the sockets of every instance.
 */
export class PubSubFanout implements Fanout {
  readonly instanceId = randomBytes(8).toString('hex')
  readonly #rooms = new Map<string, FanoutRoom>()
  // Payloads that came from another instance: re-emitted locally, never published again.
  readonly #forwarded = new WeakSet<object>()
  readonly #listeners: [keyof DomainEvents, (payload: object) => void][] = []

  constructor(
    private readonly client: PubSubClient,
    private readonly events: EventBus,
    private readonly log: FastifyBaseLogger,
  ) {
    client.onMessage((channel, message) => {
      try {
        this.#receive(channel, message)
      } catch (error) {
        log.warn({ err: error, channel }, 'ignored a malformed fan-out message')
      }
    })
    client.subscribe(EVENTS_CHANNEL)
    for (const name of FORWARDED_EVENTS) {
      const listener = (payload: object) => {
        if (!this.#forwarded.has(payload)) {
          this.#publish(EVENTS_CHANNEL, Kind.Event, (encoder) =>
            encoding.writeVarString(encoder, JSON.stringify({ name, payload })),
          )
        }
      }
      this.events.on(name, listener)
      this.#listeners.push([name, listener])
    }
  }

  watch(documentId: string, room: FanoutRoom): void {
    this.#rooms.set(documentId, room)
    this.client.subscribe(docChannel(documentId))
    // A room just loaded here knows nobody on the other instances: ask them for their people,
    // rather than wait until each one's presence renews (every 15 s).
    this.#publish(docChannel(documentId), Kind.AwarenessQuery, () => undefined)
  }

  unwatch(documentId: string): void {
    this.#rooms.delete(documentId)
    this.client.unsubscribe(docChannel(documentId))
  }

  publishUpdates(documentId: string, updates: { seq: number; update: Uint8Array }[]): void {
    for (const { seq, update } of updates) {
      this.#publish(docChannel(documentId), Kind.Update, (encoder) => {
        encoding.writeVarUint(encoder, seq)
        encoding.writeVarUint8Array(encoder, update)
      })
    }
  }

  publishAwareness(documentId: string, update: Uint8Array): void {
    this.#publish(docChannel(documentId), Kind.Awareness, (encoder) =>
      encoding.writeVarUint8Array(encoder, update),
    )
  }

  async close(): Promise<void> {
    for (const [name, listener] of this.#listeners) {
      this.events.off(name, listener)
    }
    await this.client.close()
  }

  #publish(channel: string, kind: number, write: (encoder: encoding.Encoder) => void): void {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, kind)
    encoding.writeVarString(encoder, this.instanceId)
    write(encoder)
    this.client.publish(channel, encoding.toUint8Array(encoder))
  }

  #receive(channel: string, message: Uint8Array): void {
    const decoder = decoding.createDecoder(message)
    const kind = decoding.readVarUint(decoder)
    if (decoding.readVarString(decoder) === this.instanceId) {
      return
    }
    if (kind === Kind.Event) {
      const { name, payload } = JSON.parse(decoding.readVarString(decoder)) as {
        name: string
        payload: object
      }
      if (
        (FORWARDED_EVENTS as readonly string[]).includes(name) &&
        payload &&
        typeof payload === 'object'
      ) {
        this.#forwarded.add(payload)
        this.events.emit(name as (typeof FORWARDED_EVENTS)[number], payload as never)
      }
      return
    }
    const room = this.#rooms.get(channel.slice('concord:doc:'.length))
    if (!room) {
      return
    }
    if (kind === Kind.Update) {
      const seq = decoding.readVarUint(decoder)
      room.receiveRemoteUpdate(seq, decoding.readVarUint8Array(decoder).slice())
    } else if (kind === Kind.Awareness) {
      room.receiveRemoteAwareness(decoding.readVarUint8Array(decoder).slice())
    } else if (kind === Kind.AwarenessQuery) {
      const update = room.localAwareness()
      if (update) {
        this.publishAwareness(channel.slice('concord:doc:'.length), update)
      }
    }
  }
}

// The subset of ioredis this module uses.
interface IoRedis {
  publish(channel: string, message: Buffer): Promise<unknown>
  subscribe(channel: string): Promise<unknown>
  unsubscribe(channel: string): Promise<unknown>
  on(event: 'messageBuffer', listener: (channel: Buffer, message: Buffer) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  once(event: 'ready', listener: () => void): unknown
  quit(): Promise<unknown>
}

/**
 * Connects to Redis for the fan-out: one connection to publish and one to subscribe (a
 * subscribed Redis connection can do nothing else). ioredis reconnects by itself and
 * subscribes again; what is published while it is away is lost, which the rooms tolerate.
 * Requires the `ioredis` package.
 */
export async function connectRedisPubSub(
  url: string,
  log: FastifyBaseLogger,
): Promise<PubSubClient> {
  // Loaded only when REDIS_URL is set, so a single instance needs no Redis client at all.
  const specifier = 'ioredis'
  let Redis: new (url: string, options: Record<string, unknown>) => IoRedis
  try {
    const module = (await import(specifier)) as { Redis?: typeof Redis; default?: typeof Redis }
    Redis = (module.Redis ?? module.default)!
  } catch (error) {
    throw new Error(
      `REDIS_URL is set but the ioredis package is not installed (npm install ioredis): ${(error as Error).message}`,
    )
  }
  const options = { maxRetriesPerRequest: null, enableOfflineQueue: true }
  const publisher = new Redis(url, options)
  // No ready check on the subscriber: a SUBSCRIBE queued before it is ready puts the connection
  // in subscriber mode, the check's INFO then fails, and ioredis drops the queued subscription.
  const subscriber = new Redis(url, { ...options, enableReadyCheck: false })
  for (const connection of [publisher, subscriber]) {
    connection.on('error', (error) => log.warn({ err: error }, 'redis connection error'))
  }
  // Start once both are connected, or after a few seconds without them: the rooms poll the log,
  // so documents stay correct (only slower) while Redis is away.
  const ready = (connection: IoRedis) =>
    new Promise<void>((resolve) => connection.once('ready', resolve))
  const timeout = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), 5_000).unref(),
  )
  if (
    (await Promise.race([Promise.all([ready(publisher), ready(subscriber)]), timeout])) ===
    'timeout'
  ) {
    log.warn(
      'redis is not reachable yet; collaboration across instances falls back to reading the log until it is',
    )
  }
  return {
    publish: (channel, message) => {
      publisher
        .publish(channel, Buffer.from(message.buffer, message.byteOffset, message.byteLength))
        .catch((error: unknown) => log.warn({ err: error }, 'redis publish failed'))
    },
    subscribe: (channel) => {
      subscriber
        .subscribe(channel)
        .catch((error: unknown) => log.warn({ err: error }, 'redis subscribe failed'))
    },
    unsubscribe: (channel) => {
      subscriber
        .unsubscribe(channel)
        .catch((error: unknown) => log.warn({ err: error }, 'redis unsubscribe failed'))
    },
    onMessage: (handler) => {
      subscriber.on('messageBuffer', (channel, message) =>
        handler(channel.toString(), new Uint8Array(message)),
      )
    },
    close: async () => {
      await Promise.allSettled([publisher.quit(), subscriber.quit()])
    },
  }
}
