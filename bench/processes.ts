// The processes of a benchmark: the simulation host and the real controller (compiled, as it is shipped),
// each its own Node.js process, plus what the benchmark reads from them.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClusterWorld } from './cluster-world.ts';
import type { BehaviourPatch, LoadBalancerView, LoggedCall, SimHostEndpoints, StackStatusSample, StackView } from './sim-host.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Compiles the controller once per benchmark run, so it runs as `node dist/main.js` does in production.
 * Incremental: a second run with unchanged sources costs seconds, not a full compile.
 */
export function buildController(): void {
  if (builtIsCurrent()) return;
  // The bench test and the chaos test may build at the same time (vitest runs files in parallel): one compiles,
  // the other waits for it, so no controller starts from half-written files.
  const lock = path.join(ROOT, '.dist-build.lock');
  const waitUntil = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const stale = (() => { try { return Date.now() - statSync(lock).mtimeMs > 300_000; } catch { return false; } })();
      if (stale || Date.now() > waitUntil) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (builtIsCurrent()) return;
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'),
      '--incremental', '--tsBuildInfoFile', path.join(ROOT, 'dist/.tsbuildinfo')], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** dist/ was compiled after the last change to any source it is built from (so the compile can be skipped). */
function builtIsCurrent(): boolean {
  let built: number;
  try {
    built = statSync(path.join(ROOT, 'dist/.tsbuildinfo')).mtimeMs;
  } catch {
    return false;
  }
  const newest = (p: string): number => {
    const st = statSync(p);
    if (!st.isDirectory()) return p.endsWith('.ts') || p.endsWith('.json') ? st.mtimeMs : 0;
    return Math.max(st.mtimeMs, ...readdirSync(p).map((name) => newest(path.join(p, name))));
  };
  const sources = ['main.ts', 'machines', 'services', 'storage', 'server', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
  return sources.every((s) => newest(path.join(ROOT, s)) < built);
}

export interface SimHost {
  readonly endpoints: SimHostEndpoints;
  calls(since?: number): Promise<LoggedCall[]>;
  writes(since?: number): Promise<{ at: number; method: string; path: string }[]>;
  /** The writes with the simulator's answer and the request body (status patches, for the chaos suite). */
  writesWithBodies(since?: number): Promise<{ at: number; method: string; path: string; status: number; body: unknown }[]>;
  apply(manifest: Record<string, unknown>): Promise<void>;
  remove(ref: { apiVersion: string; kind: string; namespace: string; name: string }): Promise<void>;
  stackStatus(name: string): Promise<string | undefined>;
  /** Every stack the AWS simulation holds, deleted ones included. */
  stacks(): Promise<StackView[]>;
  /** Stack statuses after each CloudFormation call that changed one (only with `recordStackHistory`). */
  stackHistory(): Promise<StackStatusSample[]>;
  /** The load balancers that exist (deleted ones are gone). */
  loadBalancers(): Promise<LoadBalancerView[]>;
  /** Objects of a kind as the Kubernetes simulation stores them (Ingress by default). */
  objects(kind?: string, apiVersion?: string): Promise<Record<string, unknown>[]>;
  /** Replaces fields of the AWS simulation's behaviour (throttling, failing stack operations, operation time). */
  setBehaviour(patch: BehaviourPatch): Promise<void>;
  close(): Promise<void>;
}

export async function startSimHost(world: Pick<ClusterWorld, 'aws' | 'objects' | 'stackOf'>, options: { recordStackHistory?: boolean } = {}): Promise<SimHost> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiac-bench-'));
  const file = path.join(dir, 'world.json');
  writeFileSync(file, JSON.stringify({ aws: world.aws, objects: world.objects, stackOf: world.stackOf, caFile: path.join(dir, 'roots.pem'), recordStackHistory: options.recordStackHistory === true }));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/sim-host.ts'), file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoints = await new Promise<SimHostEndpoints>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line) as SimHostEndpoints);
    });
    child.on('exit', (code) => reject(new Error(`sim host exited with ${code}`)));
  });
  const control = async <T>(p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${endpoints.controlUrl}${p}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`sim host ${p}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    endpoints,
    calls: (since = 0) => control(`/calls?since=${since}`),
    writes: (since = 0) => control(`/writes?since=${since}`),
    apply: async (manifest) => void (await control('/apply', manifest)),
    remove: async (ref) => void (await control('/delete', ref)),
    writesWithBodies: (since = 0) => control(`/writes?bodies=1&since=${since}`),
    stackStatus: async (name) => (await control<{ status: string } | null>(`/stack?name=${encodeURIComponent(name)}`))?.status,
    stacks: () => control('/stacks'),
    loadBalancers: () => control('/load-balancers'),
    stackHistory: () => control('/stack-history'),
    objects: (kind = 'Ingress', apiVersion = 'networking.k8s.io/v1') => control(`/objects?kind=${encodeURIComponent(kind)}&apiVersion=${encodeURIComponent(apiVersion)}`),
    setBehaviour: async (patch) => void (await control('/behaviour', patch)),
    close: () => stop(child),
  };
}

export interface ControllerProcess {
  readonly url: string;
  readonly process: ChildProcess;
  /** Log lines the controller printed (JSON). */
  readonly logs: string[];
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startController(sim: SimHostEndpoints, flags: readonly string[], stateDir: string): Promise<ControllerProcess> {
  const port = await freePort();
  // KIAC_BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the controller.
  const nodeArgs = (process.env.KIAC_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist/main.js'),
    '--target-access-mode=HostPort', `--api-server-base-url=${sim.kubernetesUrl}`, `--state-dir=${stateDir}`,
    `--extra-trusted-ca-file=${sim.trustedCAFile}`, `--metrics-address=127.0.0.1:${port}`, ...flags,
  ], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '', AWS_ENDPOINT_URL: sim.awsEndpoint, AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'AKIDBENCH',
      AWS_SECRET_ACCESS_KEY: 'bench', AWS_EC2_METADATA_SERVICE_ENDPOINT: sim.imdsEndpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const collect = (c: Buffer) => logs.push(...c.toString().split('\n').filter((l) => l !== ''));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return {
    url: `http://127.0.0.1:${port}`, process: child, logs,
    stop: () => stop(child),
    kill: () => stop(child, 'SIGKILL'),
  };
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Polls until `check` gives a value; throws after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One Prometheus scrape: metric name (with labels) -> value. */
export async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}
