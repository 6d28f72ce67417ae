import WebSocket from 'ws'

/**
 * A `ws` WebSocket class for y-websocket's `WebSocketPolyfill` option that sends the given
 * headers (a session `Cookie`, an `Origin`) with the handshake, as a browser sends its cookie.
 * Each call makes a new class, so two providers can act as two people.
 */
export function webSocketWithHeaders(headers: Record<string, string>): typeof WebSocket {
  class HeaderWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers })
    }
  }
  return HeaderWebSocket as unknown as typeof WebSocket
}

/** A WebSocket class that signs in with a session cookie (STYLE 2.12). */
export function webSocketWithCookie(cookie: string): typeof WebSocket {
  return webSocketWithHeaders({ cookie })
}

/** The code and reason a socket closed with. */
export interface CloseInfo {
  code: number
  reason: string
}

/** A raw socket for protocol-level tests, recording from the first byte what it receives. */
export interface RawClient {
  socket: WebSocket
  /** Every binary message received, in order. */
  messages: Uint8Array[]
  /** Resolves with the close code and reason once the socket closes. */
  closed: Promise<CloseInfo>
}

/**
 * Opens a raw socket and resolves once it is open, or rejects if the handshake fails. The
 * message listener is in place before the handshake: in one process the server's first
 * frame can arrive in the same read as the handshake's answer.
 */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    const messages: Uint8Array[] = []
    socket.on('message', (data: Buffer) => messages.push(new Uint8Array(data)))
    const closed = new Promise<CloseInfo>((resolveClose) =>
      socket.once('close', (code, reason) => resolveClose({ code, reason: reason.toString() })),
    )
    socket.once('open', () => resolve({ socket, messages, closed }))
    socket.once('error', reject)
  })
}
