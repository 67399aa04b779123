// What every e2e file starts from: a real API server and etcd, the AWS simulation (one-second stack operations)
// with its call log, instance metadata, and the trusted roots file; plus the two calls every file makes on the
// cluster (kubectl that must succeed, and a service account token from the TokenRequest API).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../../services/clock.ts';
import { Cluster } from '../../../tools/e2e/cluster.ts';
import { writeTrustedRootsFile } from '../../../tools/sim/aws/certificates.ts';
import { startAwsSim, startImds, type AwsSim } from '../../../tools/sim/aws/index.ts';
import type { CallRecord } from '../../../tools/sim/aws/server.ts';
import { loadWorldFile } from '../../../tools/sim/world-file.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface E2eWorld {
  readonly workDir: string;
  readonly cluster: Cluster;
  readonly aws: AwsSim;
  readonly calls: CallRecord[];
  readonly imdsEndpoint: string;
  readonly trustedRoots: string;
  closeImds(): Promise<void>;
}

export async function startE2eWorld(binDir: string, prefix: string): Promise<E2eWorld> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const cluster = await Cluster.start({ binDir, workDir: path.join(workDir, 'cluster') });
  const world = loadWorldFile(path.join(ROOT, 'tools/sim/worlds/default.yaml')).aws;
  // Stack operations of one second keep the create, update and delete steps short.
  const aws = await startAwsSim({ input: { ...world, behaviour: { ...world.behaviour, operationSeconds: 1 } }, clock: systemClock });
  const calls: CallRecord[] = [];
  aws.server.onCall((call) => calls.push(call));
  const imds = await startImds({ world: aws.world });
  const trustedRoots = path.join(workDir, 'trusted-roots.pem');
  await writeTrustedRootsFile(trustedRoots);
  return { workDir, cluster, aws, calls, imdsEndpoint: imds.endpoint, trustedRoots, closeImds: () => imds.close() };
}

export async function kubectlOk(cluster: Cluster, args: string[], options: { input?: string } = {}): Promise<string> {
  const result = await cluster.kubectl(args, options);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** The service account's token, issued by the API server as the kubelet would ask for it. */
export async function serviceAccountToken(cluster: Cluster, namespace: string, serviceAccount: string): Promise<string> {
  const res = await cluster.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
    spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 },
  });
  if (res.status !== 201) throw new Error(`TokenRequest answered ${res.status}: ${res.body}`);
  return (JSON.parse(res.body) as { status: { token: string } }).status.token;
}
