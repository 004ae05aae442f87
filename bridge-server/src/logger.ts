import pino from 'pino';

export type Logger = pino.Logger;

/** Structured logs; anything that looks like a secret is redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'stockroom' },
      redact: {
        paths: [
          'token', '*.token', 'password', '*.password', 'authorization', '*.authorization',
          'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie',
          'params.token', '*.params.token', 'secret', '*.secret',
          'deviceCode', '*.deviceCode', 'csrfToken', '*.csrfToken', 'clientSecret', '*.clientSecret', 'sessionSecret', '*.sessionSecret',
          'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', 'headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
