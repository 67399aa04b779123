// Shared set-up for the certificate tests: the simulated AWS with ACM and IAM reached through the real SDK
// clients, and trusted-root sets built from the simulation's CAs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients, type AwsClients } from '../../../../services/aws/clients.ts';
import { loadTrustedRoots, type TrustedRoots } from '../../../../services/aws/certificates/trusted-roots.ts';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import { privateRootPem, trustedRootPem } from '../../../../tools/sim/aws/certificates.ts';
import { startAwsSim, type AwsSim } from '../../../../tools/sim/aws/index.ts';
import type { AwsWorldInput, CertificateInput } from '../../../../tools/sim/aws/world.ts';

export const START = Date.UTC(2026, 0, 1);
export const DAY = 86400_000;

export interface CertificateSim {
  sim: AwsSim;
  clock: VirtualClock;
  clients: AwsClients;
  close(): Promise<void>;
}

export async function startCertificateSim(certificates: CertificateInput[], extra: Partial<AwsWorldInput> = {}): Promise<CertificateSim> {
  const clock = new VirtualClock(START);
  const sim = await startAwsSim({ input: { region: 'eu-central-1', certificates, ...extra }, clock });
  const clients = createAwsClients({
    region: sim.world.region,
    endpoint: sim.endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated' },
  });
  return {
    sim,
    clock,
    clients,
    close: async () => {
      clients.destroy();
      await sim.close();
    },
  };
}

export const acmArn = (id: string) => `arn:aws:acm:eu-central-1:123456789012:certificate/${id}`;
export const iamArn = (name: string, path = '/') => `arn:aws:iam::123456789012:server-certificate${path}${name}`;

/**
 * The roots a deployment of these tests would configure: the system store plus a CA file holding the
 * simulation's "public" root (and the private root when `withPrivateRoot`).
 */
export async function simTrustedRoots(options: { withPrivateRoot?: boolean } = {}): Promise<TrustedRoots> {
  const dir = await mkdtemp(join(tmpdir(), 'extra-ca-'));
  try {
    const file = join(dir, 'ca.pem');
    const pems = [await trustedRootPem(), ...(options.withPrivateRoot ? [await privateRootPem()] : [])];
    await writeFile(file, pems.join('\n'), 'utf8');
    return await loadTrustedRoots(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
