// pino JSON logs, one convention (docs/architecture.md, "Logs"): `event` in kebab-case, `err` for the error,
// `stack` and `ingress` naming what a line is about, `component` set once by the part of the controller
// that logs (kubernetes, certificates). The process name goes in pino's own `name` field.
import { pino, type Logger, type DestinationStream } from 'pino';
import type { Config } from './config/config.ts';

export const LOGGER_NAME = 'kube-ingress-aws-controller';

export function createLogger(config: Pick<Config, 'debug' | 'quiet'>, destination?: DestinationStream): Logger {
  const level = config.debug ? 'debug' : config.quiet ? 'warn' : 'info';
  return destination ? pino({ level, name: LOGGER_NAME }, destination) : pino({ level, name: LOGGER_NAME });
}

export type { Logger };
