// A real Kubernetes control plane for the e2e suite: etcd and kube-apiserver (built by build-apiserver.sh) on
// free loopback ports, with RBAC on, a serving certificate from our own CA (SAN 127.0.0.1, so in-cluster
// clients can verify it against ca.crt), a static admin token, and service-account signing keys (so the
// TokenRequest API issues tokens). No scheduler, no kubelet, no controller-manager: Pods stay Pending and
// namespaces are never finalised, which the suite does not need.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClusterOptions {
  /** Directory holding kube-apiserver, etcd and kubectl. */
  readonly binDir: string;
  /** Working directory (certificates, etcd data, logs); created if missing, left in place. */
  readonly workDir: string;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const STOP_GRACE_MS = 5_000;
const READY_TIMEOUT_MS = 90_000;

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** SIGTERM, then SIGKILL when it has not exited after STOP_GRACE_MS (a graceful API server stop takes 10-20 s). */
export async function stopProcess(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await run('openssl', args, { cwd });
}

async function makeCertificates(dir: string): Promise<void> {
  if (fs.existsSync(path.join(dir, 'sa.pub'))) return;
  fs.mkdirSync(dir, { recursive: true });
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=kiac-e2e-ca',
    '-keyout', 'ca.key', '-out', 'ca.crt'], dir);
  fs.writeFileSync(path.join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n');
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kube-apiserver', '-keyout', 'server.key',
    '-out', 'server.csr'], dir);
  await openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '3650', '-extfile', 'server.ext', '-out', 'server.crt'], dir);
  await openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  await openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
}

/**
 * What in-cluster clients dial (KUBERNETES_SERVICE_HOST/PORT), standing in for the `kubernetes` Service: a
 * Service routes only to ready API servers, so connections are relayed byte for byte (TLS included) only while
 * the API server is ready, RBAC included, and reset otherwise, as a connection to a Service without endpoints
 * is. Without it a client reconnecting during a restart meets a freshly started API server whose RBAC caches
 * are still empty: it answers 403 to every service account for about a second.
 */
class ServiceRelay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  open = false;

  constructor(private readonly target: () => number) {}

  async listen(): Promise<number> {
    this.server = net.createServer((client) => {
      if (!this.open) {
        client.resetAndDestroy();
        return;
      }
      const upstream = net.connect(this.target(), '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return (server.address() as net.AddressInfo).port;
  }

  /** No endpoints: established connections are cut, new ones reset. */
  cut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export class Cluster {
  readonly adminToken = 'kiac-e2e-admin-token';
  readonly caFile: string;
  readonly kubeconfig: string;
  private etcd: ChildProcess | undefined;
  private apiServer: ChildProcess | undefined;
  private readonly service = new ServiceRelay(() => this.port);
  /** Port of the stand-in for the `kubernetes` Service (see ServiceRelay): what in-cluster clients use. */
  servicePort = 0;

  private constructor(
    private readonly options: ClusterOptions,
    readonly port: number,
    private readonly etcdPorts: { client: number; peer: number },
  ) {
    this.caFile = path.join(options.workDir, 'pki', 'ca.crt');
    this.kubeconfig = path.join(options.workDir, 'kubeconfig');
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    fs.mkdirSync(options.workDir, { recursive: true });
    const cluster = new Cluster(options, await freePort(), { client: await freePort(), peer: await freePort() });
    await makeCertificates(path.join(options.workDir, 'pki'));
    fs.writeFileSync(path.join(options.workDir, 'tokens.csv'), `${cluster.adminToken},admin,admin-uid,"system:masters"\n`);
    cluster.writeKubeconfig();
    try {
      cluster.servicePort = await cluster.service.listen();
      await cluster.startEtcd();
      await cluster.startApiServer();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  private writeKubeconfig(): void {
    fs.writeFileSync(this.kubeconfig, [
      'apiVersion: v1', 'kind: Config',
      'clusters:', `- name: e2e`, `  cluster: { server: "${this.url}", certificate-authority: "${this.caFile}" }`,
      'users:', `- name: admin`, `  user: { token: "${this.adminToken}" }`,
      'contexts:', '- name: e2e', '  context: { cluster: e2e, user: admin }',
      'current-context: e2e', '',
    ].join('\n'));
  }

  private logFile(name: string): number {
    return fs.openSync(path.join(this.options.workDir, `${name}.log`), 'a');
  }

  private async startEtcd(): Promise<void> {
    const { client, peer } = this.etcdPorts;
    const fd = this.logFile('etcd');
    this.etcd = spawn(path.join(this.options.binDir, 'etcd'), [
      '--name=e2e', `--data-dir=${path.join(this.options.workDir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${client}`, `--advertise-client-urls=http://127.0.0.1:${client}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=e2e=http://127.0.0.1:${peer}`,
    ], { stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    await this.waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${client}/health`).catch(() => undefined);
      return res?.ok === true;
    }, this.etcd, 'etcd /health');
  }

  /** Starts the API server (again, after stopApiServer) on the same port with the same etcd and keys. */
  async startApiServer(): Promise<void> {
    this.apiServer = await this.spawnApiServer(this.port, 'kube-apiserver');
    this.service.open = true;
  }

  /**
   * A second API server on the same etcd (as in an HA control plane), on its own port: changes made through it
   * while the first one is down are what a client of the first one must catch up with.
   */
  async startSecondApiServer(): Promise<{ port: number; stop(): Promise<void> }> {
    const port = await freePort();
    const child = await this.spawnApiServer(port, 'kube-apiserver-2');
    return { port, stop: () => stopProcess(child) };
  }

  private async spawnApiServer(port: number, logName: string): Promise<ChildProcess> {
    const pki = path.join(this.options.workDir, 'pki');
    const fd = this.logFile(logName);
    const apiServer = spawn(path.join(this.options.binDir, 'kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${this.etcdPorts.client}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${port}`, '--insecure-port=0',
      `--tls-cert-file=${path.join(pki, 'server.crt')}`, `--tls-private-key-file=${path.join(pki, 'server.key')}`,
      `--cert-dir=${path.join(this.options.workDir, 'cert-dir')}`,
      `--token-auth-file=${path.join(this.options.workDir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      `--service-account-key-file=${path.join(pki, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(pki, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--api-audiences=https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range=10.96.0.0/16',
      // No endpoints to reconcile on the way down: shortens a graceful stop.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
    ], { stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    // /readyz (which waits for CRDs to be served) passes a few seconds before the default namespaces exist.
    // The admin (system:masters) bypasses RBAC; an anonymous GET /version (granted by RBAC's bootstrap role
    // system:public-info-viewer) shows that the RBAC caches have been filled.
    const status = (pathname: string, token?: string) =>
      this.request('GET', pathname, undefined, port, token).then((r) => r.status, () => 0);
    try {
      await this.waitFor(async () => (await status('/readyz')) === 200 && (await status('/api/v1/namespaces/default')) === 200 &&
        (await status('/version', '')) === 200, apiServer, `${logName} /readyz, /api/v1/namespaces/default and anonymous /version`);
    } catch (err) {
      await stopProcess(apiServer);
      throw err;
    }
    return apiServer;
  }

  async stopApiServer(): Promise<void> {
    this.service.cut();
    if (this.apiServer) await stopProcess(this.apiServer);
    this.apiServer = undefined;
  }

  async stop(): Promise<void> {
    await this.stopApiServer();
    if (this.etcd) await stopProcess(this.etcd);
    this.etcd = undefined;
    await this.service.close();
  }

  /** A request with the admin token (or another; '' for an anonymous one), verified against our CA. */
  request(method: string, pathname: string, body?: unknown, port = this.port, token = this.adminToken): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = https.request(`https://127.0.0.1:${port}${pathname}`, {
        method, ca: fs.readFileSync(this.caFile), timeout: 5_000,
        headers: {
          ...(token === '' ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  /** kubectl 1.20 as the admin; never throws for a non-zero exit. */
  async kubectl(args: string[], options: { input?: string; cwd?: string } = {}): Promise<KubectlResult> {
    const child = spawn(path.join(this.options.binDir, 'kubectl'), [`--kubeconfig=${this.kubeconfig}`, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdin.end(options.input ?? '');
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code: code ?? -1, stdout, stderr };
  }

  private async waitFor(probe: () => Promise<boolean>, child: ChildProcess, what: string): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${what}: process exited (${child.exitCode ?? child.signalCode}); see ${this.options.workDir}`);
      }
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what}: not ready after ${READY_TIMEOUT_MS} ms; see ${this.options.workDir}`);
  }
}
