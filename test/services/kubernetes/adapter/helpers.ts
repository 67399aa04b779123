// Fixtures for the adapter's integration tests: the simulated apiserver on loopback, the real client, an
// adapter that is stopped after each test, and pino output captured as parsed JSON lines.
import { pino, type Logger } from 'pino';
import { afterEach } from 'vitest';
import { systemClock, type Clock } from '../../../../services/clock.ts';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import type { Config } from '../../../../services/config/config.ts';
import { KubernetesAdapter, type KubernetesAdapterOptions } from '../../../../services/kubernetes/adapter.ts';
import { startKubernetesSim, type KubernetesSim, type KubernetesSimOptions } from '../../../../tools/sim/kubernetes/index.ts';
import { configOf } from '../../config/helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function startSim(options: Partial<KubernetesSimOptions> = {}): Promise<KubernetesSim> {
  const sim = await startKubernetesSim({ clock: new VirtualClock(), ...options });
  cleanups.push(() => sim.close());
  return sim;
}

export interface LogLine {
  level: number;
  msg?: string;
  ingress?: string;
  event?: string;
  [key: string]: unknown;
}

export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (text: string) => void lines.push(JSON.parse(text) as LogLine) });
  return { logger, lines };
}

export interface StartedAdapter {
  adapter: KubernetesAdapter;
  lines: LogLine[];
  changes: number[];
}

/** Fast backoff and the system clock unless told otherwise; stopped after the test. */
export async function startAdapter(
  sim: KubernetesSim,
  options: { config?: Config; clock?: Clock; start?: boolean } & Partial<Omit<KubernetesAdapterOptions, 'config' | 'clock'>> = {},
): Promise<StartedAdapter> {
  const { logger, lines } = captureLogger();
  const { config, clock, start, ...rest } = options;
  const adapter = new KubernetesAdapter({
    kubeConfig: sim.kubeConfig(),
    config: config ?? configOf([]),
    clock: clock ?? systemClock,
    logger,
    backoff: { initialMs: 20, maxMs: 200 },
    eventInstance: 'test-instance',
    ...rest,
  });
  cleanups.push(() => adapter.stop());
  const changes: number[] = [];
  adapter.onChange(() => changes.push(performance.now()));
  if (start !== false) await adapter.start();
  return { adapter, lines, changes };
}

export async function until(condition: () => boolean, what = 'condition', timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function ingress(
  name: string,
  options: { namespace?: string; annotations?: Record<string, string>; hosts?: string[]; className?: string; status?: unknown } = {},
) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: options.namespace ?? 'default', ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      ...(options.className ? { ingressClassName: options.className } : {}),
      rules: (options.hosts ?? [`${name}.example.org`]).map((host) => ({ host })),
    },
    ...(options.status ? { status: options.status } : {}),
  };
}

export function routeGroup(name: string, options: { namespace?: string; annotations?: Record<string, string>; status?: unknown } = {}) {
  return {
    apiVersion: 'zalando.org/v1',
    kind: 'RouteGroup',
    metadata: { name, namespace: options.namespace ?? 'default', ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: { hosts: [`${name}.example.org`], backends: [{ name: 'b', type: 'shunt' }] },
    ...(options.status ? { status: options.status } : {}),
  };
}

export const ingressRef = (name: string, namespace = 'default') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name, namespace });
export const routeGroupRef = (name: string, namespace = 'default') => ({ apiVersion: 'zalando.org/v1', kind: 'RouteGroup', name, namespace });

export const names = (adapter: KubernetesAdapter) => adapter.snapshot().ingresses.map((i) => `${i.ref.kind}/${i.ref.namespace}/${i.ref.name}`);
