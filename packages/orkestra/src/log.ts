// The process logger: pino, human-readable on a terminal, JSON lines otherwise (for log
// collectors). Secrets are never passed to it; `redact` is a second line of defence.
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type { PrettyStream } from 'pino-pretty';

// pino-pretty costs ~10 MB; load it only when printing to a terminal.
const requireLazy = createRequire(import.meta.url);

export type LogFormat = 'pretty' | 'json';

export function createLogger(opts: { level?: string; format?: LogFormat; destination?: NodeJS.WritableStream } = {}): Logger {
  const format = opts.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const base = {
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: ['*.password', '*.token', '*.secret', '*.auth', 'auth', 'token'], censor: '[redacted]' },
  };
  if (format === 'pretty') {
    const pretty = requireLazy('pino-pretty') as (o: object) => PrettyStream;
    return pino(base, pretty({ colorize: process.stderr.isTTY, destination: 2, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l', sync: true }));
  }
  return pino(base, (opts.destination as pino.DestinationStream | undefined) ?? pino.destination({ fd: 2, sync: false }));
}
