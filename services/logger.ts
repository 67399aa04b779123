// pino JSON logs. Fields used across the code base: `stack`, `ingress`, `event`.
import { pino, type Logger, type DestinationStream } from 'pino';
import type { Config } from './config/config.ts';

export function createLogger(config: Pick<Config, 'debug' | 'quiet'>, destination?: DestinationStream): Logger {
  const level = config.debug ? 'debug' : config.quiet ? 'warn' : 'info';
  return destination ? pino({ level, base: { component: 'kube-ingress-aws-controller' } }, destination)
    : pino({ level, base: { component: 'kube-ingress-aws-controller' } });
}

export type { Logger };
