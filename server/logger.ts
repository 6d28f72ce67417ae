import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import pretty from 'pino-pretty'

/**
 * pino options: secrets never reach the log (STYLE 2.11: authorization headers, cookies,
 * passwords, tokens and secrets are redacted; query strings, which may carry `?token=`,
 * are cut from logged URLs).
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.token',
        '*.secret',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: req.url.split('?')[0],
        id: req.id,
      }),
    },
  }
}

/**
 * The server's logger. A person watching a terminal gets readable lines; anything else (a
 * pipe, a file, a container's log collector) gets one JSON object per line. The readable
 * printer runs on this thread and writes synchronously, so log lines and the first-start
 * banner (written straight to stdout by main.ts) appear in the order they happened rather
 * than the banner being overtaken by a worker thread's late lines (issue 15, item 10).
 * Tests pass their own stream, and say whether it stands for a terminal.
 */
export function createLogger(
  level: string,
  stream?: DestinationStream,
  options: { readable?: boolean } = {},
): Logger {
  const readable = options.readable ?? (stream ? false : process.stdout.isTTY === true)
  if (readable) {
    return pino(
      loggerOptions(level),
      pretty({
        destination: stream ?? 1,
        sync: true,
        colorize: stream ? false : pretty.isColorSupported,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname',
      }),
    )
  }
  return stream ? pino(loggerOptions(level), stream) : pino(loggerOptions(level))
}
