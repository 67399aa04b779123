// Shared fixtures for the simulator's tests: manifests, a polling wait, and a raw watch reader for the cases
// where the point is the wire format rather than the client's reaction to it.
import http from 'node:http';
import { afterEach } from 'vitest';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import { startKubernetesSim, type KubernetesSim, type KubernetesSimOptions } from '../../../../tools/sim/kubernetes/index.ts';

const running: KubernetesSim[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

/** Starts a simulator on a virtual clock that is closed after the test. */
export async function startSim(options: Partial<KubernetesSimOptions> = {}): Promise<KubernetesSim> {
  const sim = await startKubernetesSim({ clock: new VirtualClock(), ...options });
  running.push(sim);
  return sim;
}

export async function until(condition: () => boolean, what = 'condition', timeoutMs = 1500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function ingress(name: string, extra: Record<string, unknown> = {}, namespace = 'default') {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: { rules: [{ host: `${name}.example.org` }] },
    ...extra,
  };
}

export function routeGroup(name: string, namespace = 'default') {
  return {
    apiVersion: 'zalando.org/v1',
    kind: 'RouteGroup',
    metadata: { name, namespace },
    spec: { hosts: [`${name}.example.org`], backends: [{ name: 'b', type: 'shunt' }] },
  };
}

export function pod(name: string, labels: Record<string, string>, namespace = 'default') {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'skipper' }] },
    status: { phase: 'Running', podIP: '10.0.0.1' },
  };
}

export interface RawWatch {
  status: number;
  events: { type: string; object: any }[];
  /** Raw body text, to check the framing. */
  text: () => string;
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch with node:http and collects its NDJSON events. */
export function rawWatch(url: string): Promise<RawWatch> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let buffer = '';
      let all = '';
      const events: RawWatch['events'] = [];
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        all += chunk;
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffer.slice(0, i)));
          buffer = buffer.slice(i + 1);
        }
      });
      res.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, events, text: () => all, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

export async function send(url: string, method: string, body: unknown, contentType = 'application/json') {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}
