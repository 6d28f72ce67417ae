import { WebSocketServer, type WebSocket } from 'ws'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

// The reference for the benchmark: the minimal in-memory y-websocket server, as y-websocket's
// former bin/utils.js was (setupWSConnection): one Y.Doc and Awareness per room name, every
// update relayed to every other connection at once, nothing stored, nothing authenticated.
// Usage: tsx bench/reference-server.ts <port>

const messageSync = 0
const messageAwareness = 1

interface Room {
  doc: Y.Doc
  awareness: awarenessProtocol.Awareness
  connections: Map<WebSocket, Set<number>>
}

const rooms = new Map<string, Room>()

function send(connection: WebSocket, message: Uint8Array) {
  if (connection.readyState === connection.OPEN) {
    connection.send(message)
  }
}

function roomFor(name: string): Room {
  let room = rooms.get(name)
  if (room) {
    return room
  }
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState(null)
  const connections = new Map<WebSocket, Set<number>>()
  room = { doc, awareness, connections }
  doc.on('update', (update: Uint8Array) => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageSync)
    syncProtocol.writeUpdate(encoder, update)
    const message = encoding.toUint8Array(encoder)
    for (const connection of connections.keys()) {
      send(connection, message)
    }
  })
  awareness.on(
    'update',
    ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...added!, ...updated!, ...removed!]
      const owned = connections.get(origin as WebSocket)
      if (owned) {
        for (const id of added!) {
          owned.add(id)
        }
        for (const id of removed!) {
          owned.delete(id)
        }
      }
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, messageAwareness)
      encoding.writeVarUint8Array(
        encoder,
        awarenessProtocol.encodeAwarenessUpdate(awareness, changed),
      )
      const message = encoding.toUint8Array(encoder)
      for (const connection of connections.keys()) {
        send(connection, message)
      }
    },
  )
  rooms.set(name, room)
  return room
}

const port = Number(process.argv[2] ?? 1234)
const server = new WebSocketServer({ port, host: '127.0.0.1' })
server.on('connection', (connection, request) => {
  const name = (request.url ?? '/').slice(1).split('?')[0]!
  const room = roomFor(name)
  room.connections.set(connection, new Set())
  connection.binaryType = 'arraybuffer'
  connection.on('message', (data: ArrayBuffer) => {
    try {
      const decoder = decoding.createDecoder(new Uint8Array(data))
      const encoder = encoding.createEncoder()
      const type = decoding.readVarUint(decoder)
      if (type === messageSync) {
        encoding.writeVarUint(encoder, messageSync)
        syncProtocol.readSyncMessage(decoder, encoder, room.doc, connection)
        if (encoding.length(encoder) > 1) {
          send(connection, encoding.toUint8Array(encoder))
        }
      } else if (type === messageAwareness) {
        awarenessProtocol.applyAwarenessUpdate(
          room.awareness,
          decoding.readVarUint8Array(decoder),
          connection,
        )
      }
    } catch (error) {
      process.stderr.write(`reference server: ${(error as Error).message}\n`)
    }
  })
  connection.on('close', () => {
    const owned = room.connections.get(connection)
    room.connections.delete(connection)
    if (owned && owned.size > 0) {
      awarenessProtocol.removeAwarenessStates(room.awareness, [...owned], null)
    }
  })
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  syncProtocol.writeSyncStep1(encoder, room.doc)
  send(connection, encoding.toUint8Array(encoder))
  const states = room.awareness.getStates()
  if (states.size > 0) {
    const awarenessEncoder = encoding.createEncoder()
    encoding.writeVarUint(awarenessEncoder, messageAwareness)
    encoding.writeVarUint8Array(
      awarenessEncoder,
      awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...states.keys()]),
    )
    send(connection, encoding.toUint8Array(awarenessEncoder))
  }
})
server.on('listening', () => process.stdout.write(`reference y-websocket server on ${port}\n`))
