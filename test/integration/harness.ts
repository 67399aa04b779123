// A controller running in real time against both simulations, as `npm run demo` does: for integration tests
// that measure reaction time or exercise the HTTP server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { pino } from 'pino';
import { systemClock } from '../../services/clock.ts';
import { parseCommandLine } from '../../services/config/parse.ts';
import { startRuntime, type Runtime } from '../../services/commands/run.ts';
import { startAwsSim, startImds, type AwsSim } from '../../tools/sim/aws/index.ts';
import { writeTrustedRootsFile } from '../../tools/sim/aws/certificates.ts';
import type { AwsWorldInput } from '../../tools/sim/aws/world.ts';
import { startKubernetesSim, type KubernetesSim } from '../../tools/sim/kubernetes/index.ts';

export interface LiveHarness {
  aws: AwsSim;
  kube: KubernetesSim;
  imdsEndpoint: string;
  caFile: string;
  runtime: Runtime;
  stateDir: string;
  close(): Promise<void>;
}

export async function startLive(options: { aws: AwsWorldInput; objects?: unknown[]; flags?: string[]; listen?: boolean }): Promise<LiveHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiac-live-'));
  const aws = await startAwsSim({ input: options.aws, clock: systemClock });
  const imds = await startImds({ world: aws.world });
  const kube = await startKubernetesSim({ clock: systemClock, objects: options.objects ?? [] });
  const caFile = path.join(dir, 'ca.pem');
  await writeTrustedRootsFile(caFile);
  const mode = (options.flags ?? []).some((f) => f.startsWith('--target-access-mode')) ? [] : ['--target-access-mode=HostPort'];
  // Leader election only where a test asks for it (test/integration/leader-election.test.ts).
  if (!(options.flags ?? []).some((f) => /^--(no-)?leader-election(=|$)/.test(f))) mode.push('--no-leader-election');
  const outcome = parseCommandLine([
    ...mode, `--state-dir=${path.join(dir, 'state')}`, `--extra-trusted-ca-file=${caFile}`,
    `--api-server-base-url=${kube.url}`, '--metrics-address=127.0.0.1:0', ...(options.flags ?? []),
  ], {});
  if (outcome.kind !== 'run') throw new Error('unexpected parse outcome');
  const runtime = await startRuntime({
    config: outcome.config, clock: systemClock, logger: pino({ level: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() })),
    aws: { region: aws.world.region, endpoint: aws.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, retryStrategy: new ConfiguredRetryStrategy(3, () => 5) },
    imdsEndpoint: imds.endpoint, kubeConfig: kube.kubeConfig(), listen: options.listen ?? false,
    timings: { stackPollIntervalMs: 200 },
  });
  return {
    aws, kube, runtime, stateDir: path.join(dir, 'state'), imdsEndpoint: imds.endpoint, caFile,
    close: async () => {
      await runtime.stop();
      await kube.close();
      await imds.close();
      await aws.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A second controller process-alike against the same simulations, with a state directory of its own. */
export async function startPeer(h: LiveHarness, options: { flags: string[]; onLostLeadership?: () => void }): Promise<{ runtime: Runtime; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiac-peer-'));
  const outcome = parseCommandLine([
    '--target-access-mode=HostPort', `--state-dir=${path.join(dir, 'state')}`, `--extra-trusted-ca-file=${h.caFile}`,
    `--api-server-base-url=${h.kube.url}`, '--metrics-address=127.0.0.1:0', ...options.flags,
  ], {});
  if (outcome.kind !== 'run') throw new Error('unexpected parse outcome');
  const runtime = await startRuntime({
    config: outcome.config, clock: systemClock, logger: pino({ level: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() })),
    aws: { region: h.aws.world.region, endpoint: h.aws.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, retryStrategy: new ConfiguredRetryStrategy(3, () => 5) },
    imdsEndpoint: h.imdsEndpoint, kubeConfig: h.kube.kubeConfig(), listen: true,
    timings: { stackPollIntervalMs: 200 },
    ...(options.onLostLeadership ? { onLostLeadership: options.onLostLeadership } : {}),
  });
  return {
    runtime,
    close: async () => {
      await runtime.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
