// The controller as a pod runs it: a separate process in in-cluster mode. The service-account files the client
// reads from /var/run/secrets/kubernetes.io/serviceaccount are put there inside a private mount namespace
// (`unshare -m`, a tmpfs over /run, which /var/run points to), so the host is never touched; the API server
// is named by KUBERNETES_SERVICE_HOST/PORT as the kubelet would. AWS is the embedded simulation, reached
// through the SDK's AWS_ENDPOINT_URL and AWS_EC2_METADATA_SERVICE_ENDPOINT.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STOP_GRACE_MS = 5_000;

export interface LogLine {
  readonly level?: number;
  readonly event?: string;
  readonly msg?: string;
  readonly [key: string]: unknown;
}

export interface ControllerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Every line of stdout and stderr, raw. */
  readonly lines: string[];
  /** The stdout lines that are pino JSON. */
  logs(): LogLine[];
  stop(): Promise<void>;
  /** SIGKILL, as a node failure or an OOM kill ends a pod: no Lease release, no cleanup. */
  kill(): Promise<void>;
}

export interface ControllerOptions {
  /** Names its service-account folder and log file in workDir, so several controllers can share one. */
  readonly name?: string;
  readonly workDir: string;
  readonly apiServerPort: number;
  readonly caFile: string;
  readonly token: string;
  readonly namespace: string;
  readonly metricsPort: number;
  readonly awsEndpoint: string;
  readonly imdsEndpoint: string;
  readonly region: string;
  /** AWS_ACCESS_KEY_ID, which the simulation's call log records: names the controller behind each call. */
  readonly accessKeyId?: string;
  readonly flags: readonly string[];
}

// The shell inside the new mount namespace: $1 is the directory with token, ca.crt and namespace.
const IN_NAMESPACE = [
  'set -e',
  'mount -t tmpfs -o size=1m,mode=0755 kiac-e2e-run /run',
  'mkdir -p /run/secrets/kubernetes.io/serviceaccount',
  'cp "$1"/token "$1"/ca.crt "$1"/namespace /run/secrets/kubernetes.io/serviceaccount/',
  'shift',
  'exec "$@"',
].join('\n');

export async function startController(options: ControllerOptions): Promise<ControllerProcess> {
  const name = options.name ?? 'controller';
  const secrets = path.join(options.workDir, `${name}-serviceaccount`);
  fs.mkdirSync(secrets, { recursive: true });
  fs.writeFileSync(path.join(secrets, 'token'), options.token);
  fs.copyFileSync(options.caFile, path.join(secrets, 'ca.crt'));
  fs.writeFileSync(path.join(secrets, 'namespace'), options.namespace);

  const child = spawn('unshare', [
    '--mount', '--propagation', 'private', 'sh', '-c', IN_NAMESPACE, 'kiac-e2e', secrets,
    // One node process (no tsx wrapper in between), so signals reach the controller itself.
    process.execPath, '--import', 'tsx', path.join(ROOT, 'main.ts'),
    `--metrics-address=127.0.0.1:${options.metricsPort}`, ...options.flags,
  ], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: options.workDir,
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(options.apiServerPort),
      AWS_ENDPOINT_URL: options.awsEndpoint,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: options.imdsEndpoint,
      AWS_REGION: options.region,
      AWS_ACCESS_KEY_ID: options.accessKeyId ?? 'AKIDE2E',
      AWS_SECRET_ACCESS_KEY: 'e2e',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  const lines: string[] = [];
  const logFile = fs.openSync(path.join(options.workDir, `${name}.log`), 'a');
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      fs.writeSync(logFile, `${line}\n`);
    });
  }
  const exited = once(child, 'exit');
  void exited.then(() => fs.closeSync(logFile));
  const url = `http://127.0.0.1:${options.metricsPort}`;

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  const logs = (): LogLine[] => lines.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
  return { child, url, lines, logs, stop, kill };
}

/** Polls until probe returns something other than undefined/false, or fails naming what it waited for. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
