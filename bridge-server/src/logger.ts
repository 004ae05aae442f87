import pino from 'pino';
import pretty from 'pino-pretty';

export type Logger = pino.Logger;

/**
 * Structured logs; anything that looks like a secret is redacted. Without a destination they go
 * to stdout: readable lines on a terminal, one JSON object a line otherwise (files, collectors).
 */
export function createLogger(level: string, destination: pino.DestinationStream | undefined = process.stdout.isTTY ? prettyStream() : undefined): Logger {
  return pino(
    {
      level,
      base: { service: 'stockroom' },
      redact: {
        paths: [
          'token',
          '*.token',
          'password',
          '*.password',
          'authorization',
          '*.authorization',
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
          'params.token',
          '*.params.token',
          'secret',
          '*.secret',
          'deviceCode',
          '*.deviceCode',
          'csrfToken',
          '*.csrfToken',
          'clientSecret',
          '*.clientSecret',
          'sessionSecret',
          '*.sessionSecret',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          'headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

function prettyStream(): pino.DestinationStream {
  return pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
}
