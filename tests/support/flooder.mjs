// A hostile collaboration client in a process of its own, so that its own work (reading
// hundreds of megabytes of answers, building updates) does not run on the thread of the server
// or of the bystanders it is measured against. Used by tests/collab/attacks.test.ts and
// bench/attacks.ts. Plain JavaScript, run with `node tests/support/flooder.mjs '<json>'`; it
// prints `ready` once it has built what it sends, starts on a line on its standard input, and
// prints one line of JSON with what it sent, received and how its sockets were closed.
//
// Attacks (issue 12, item 2):
// - `sync-step-1`: every connection sends `frames` four-byte sync step 1 frames (`00 00 01 00`),
//   asking for the whole document each time, and reads whatever comes back.
// - `client-ids`: every connection sends one valid update with structs of `clientIds` client ids.
// - `fragments`: every connection writes `frames` messages straight to its socket, each split
//   into `fragments` WebSocket frames (empty continuation frames, then a save checkpoint
//   `[100, 1]`), so that the server parses many frames for every message it sees; `pings` adds
//   that many 125-byte pings after them.
// Connections are opened `perSecond` a second until `connections` were opened; each is closed
// by the server or after `holdMs`.
import { Buffer } from 'node:buffer'
import process from 'node:process'
import { clearTimeout, setTimeout } from 'node:timers'
import WebSocket from 'ws'
import * as encoding from 'lib0/encoding'

const options = JSON.parse(process.argv[2] ?? '{}')
const {
  url,
  attack,
  connections = 1,
  perSecond = 1,
  frames = 1000,
  clientIds = 1000,
  holdMs = 2000,
  fragments = 16_000,
  pings = 0,
} = options

const stats = { opened: 0, refused: 0, framesSent: 0, bytesSent: 0, bytesReceived: 0, closes: {} }

// Written by hand in Yjs's v1 encoding (building it through a Y.Doc takes minutes for 90,000
// ids): one struct per client id, a one-character string at the start of the root text `t`.
function manyClientsUpdate(count) {
  const update = encoding.createEncoder()
  encoding.writeVarUint(update, count)
  for (let i = 0; i < count; i++) {
    encoding.writeVarUint(update, 1) // one struct
    encoding.writeVarUint(update, 1_000_000 + i) // client id
    encoding.writeVarUint(update, 0) // clock
    encoding.writeUint8(update, 4) // an item of string content, no origins: a parent follows
    encoding.writeVarUint(update, 1) // the parent is a root type, by name
    encoding.writeVarString(update, 't')
    encoding.writeVarString(update, 'x')
  }
  encoding.writeVarUint(update, 0) // an empty delete set
  const frame = encoding.createEncoder()
  encoding.writeVarUint(frame, 0) // Sync
  encoding.writeVarUint(frame, 2) // Update
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update))
  return encoding.toUint8Array(frame)
}

const syncStep1 = new Uint8Array([0, 0, 1, 0])
const payload = attack === 'client-ids' ? manyClientsUpdate(clientIds) : syncStep1

// Client frames are masked; a mask of zeros leaves the payload as it is.
function rawFrame(firstByte, body) {
  return Buffer.concat([Buffer.from([firstByte, 0x80 | body.length, 0, 0, 0, 0]), body])
}

// One message in `count` frames: binary without FIN, empty continuations, a last one with FIN.
function fragmentedMessage(count) {
  const empty = rawFrame(0x00, Buffer.alloc(0))
  const parts = [rawFrame(0x02, Buffer.alloc(0))]
  for (let i = 0; i < count - 2; i++) {
    parts.push(empty)
  }
  parts.push(rawFrame(0x80, Buffer.from([100, 1])))
  return Buffer.concat(parts)
}
const fragmented = attack === 'fragments' ? fragmentedMessage(fragments) : undefined
const ping = rawFrame(0x89, Buffer.alloc(125, 7))

// Writes `frames` fragmented messages, then `pings` pings, respecting the socket's backpressure.
async function writeRaw(socket) {
  const raw = socket._socket
  const write = (chunk) =>
    raw.write(chunk) ? Promise.resolve() : new Promise((resolve) => raw.once('drain', resolve))
  for (let i = 0; i < frames && !raw.destroyed && socket.readyState === socket.OPEN; i++) {
    await write(fragmented)
    stats.framesSent += fragments
    stats.bytesSent += fragmented.byteLength
  }
  const pingBatch = Buffer.concat(Array.from({ length: 100 }, () => ping))
  for (let i = 0; i < pings / 100 && !raw.destroyed && socket.readyState === socket.OPEN; i++) {
    await write(pingBatch)
    stats.framesSent += 100
    stats.bytesSent += pingBatch.byteLength
  }
}

function send(socket, frame) {
  socket.send(frame)
  stats.framesSent++
  stats.bytesSent += frame.byteLength
}

function one() {
  return new Promise((resolve) => {
    const socket = new WebSocket(url)
    let timer
    socket.on('message', (data) => {
      stats.bytesReceived += data.length
    })
    socket.on('error', () => undefined)
    socket.on('unexpected-response', () => {
      stats.refused++
      resolve()
    })
    socket.on('close', (code) => {
      clearTimeout(timer)
      stats.closes[code] = (stats.closes[code] ?? 0) + 1
      resolve()
    })
    socket.on('open', () => {
      stats.opened++
      if (attack === 'client-ids') {
        send(socket, payload)
      } else if (attack === 'fragments') {
        void writeRaw(socket).catch(() => undefined)
      } else {
        for (let i = 0; i < frames && socket.readyState === socket.OPEN; i++) {
          send(socket, payload)
        }
      }
      timer = setTimeout(() => socket.close(), holdMs)
    })
  })
}

process.stdout.write('ready\n')
await new Promise((resolve) => process.stdin.once('data', resolve))
process.stdin.pause()

const running = []
for (let i = 0; i < connections; i++) {
  running.push(one())
  if (i < connections - 1) {
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond))
  }
}
await Promise.all(running)
process.stdout.write(`${JSON.stringify(stats)}\n`)
