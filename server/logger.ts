import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'

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
 * The server's logger. The pretty printer is used only when a person is watching a
 * terminal; otherwise one JSON object per line. Tests pass their own stream.
 */
export function createLogger(level: string, stream?: DestinationStream): Logger {
  if (stream) {
    return pino(loggerOptions(level), stream)
  }
  if (process.stdout.isTTY) {
    return pino({
      ...loggerOptions(level),
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
    })
  }
  return pino(loggerOptions(level))
}
