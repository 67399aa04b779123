// One reconcile cycle against in-memory sides: when it scans AWS, what it hands the actors, when it writes a
// status, and the zero-certificates stop.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { StackObservation, StackOperations } from '../../services/aws/stack-operations.ts';
import type { StackView } from '../../machines/cycle/observe.ts';
import type { LoadBalancerView } from '../../machines/cycle/publish.ts';
import { Reconciler } from '../../machines/reconciler.ts';
import { StackActorRegistry } from '../../machines/stack-registry.ts';
import type { CertificateSummary } from '../../services/planning/types/certificate.ts';
import type { IngressModel, IngressRef } from '../../services/planning/types/ingress.ts';
import type { LoadBalancerState } from '../../services/planning/types/stack.ts';
import { openDatabase } from '../../storage/database.ts';
import { StateStore } from '../../storage/state-store.ts';
import { VirtualClock } from '../../tools/support/virtual-clock.ts';
import { cert, ingress, NOW, rawStack, testConfig } from '../services/planning/model/builders.ts';

class FakeObservation implements StackView, LoadBalancerView {
  scannedAt: number | undefined;
  scans = 0;
  lbReads: string[][] = [];
  listed: StackObservation[] = [];
  lbState: LoadBalancerState | undefined;
  constructor(private readonly clock: VirtualClock) {}
  async resync() { this.scans++; this.scannedAt = this.clock.now(); }
  stacks() { return this.listed; }
  async template() { return undefined; }
  async loadBalancerStates(arns: readonly string[]) {
    this.lbReads.push([...arns]);
    return new Map(this.lbState ? arns.map((a) => [a, this.lbState!]) : []);
  }
  nextLoadBalancerRecheck() { return undefined; }
}

function setup(options: { ingresses?: IngressModel[]; certificates?: CertificateSummary[]; lines?: { event?: string; msg?: string }[] } = {}) {
  const clock = new VirtualClock(NOW);
  const config = testConfig();
  const creates: string[] = [];
  const ops: StackOperations = {
    async create(name) { creates.push(name); },
    async update() { return 'no-change'; },
    async delete() {},
    async continueUpdateRollback() {},
    async describe() { return undefined; },
  };
  const lines = options.lines;
  const logger = lines ? pino({ level: 'info' }, { write: (text: string) => void lines.push(JSON.parse(text) as { event?: string }) }) : pino({ level: 'silent' });
  const registry = new StackActorRegistry({
    operations: ops, store: new StateStore(openDatabase(':memory:')), clock, logger,
    pollIntervalMs: 10_000, retryBaseMs: 30_000, maxRetryDelayMs: 600_000, wake: () => {},
  });
  const observation = new FakeObservation(clock);
  const cluster = { ingresses: options.ingresses ?? [ingress('a', ['a.example.org'])], rejected: [], routeGroupsEnabled: false };
  const statuses: string[] = [];
  let uuid = 0;
  const reconciler = new Reconciler({
    config, clock, logger, registry, observation,
    environment: { clusterId: 'aws:123:eu-central-1:kube-1', vpcId: 'vpc-1', securityGroupId: 'sg-default', subnets: [] },
    cluster: { snapshot: () => cluster },
    certificates: { current: () => options.certificates ?? [cert('arn:cert', ['*.example.org'])] },
    alarms: async () => ({ alarms: [], hash: '' }),
    writeStatus: async (ref: IngressRef, hostname: string) => {
      statuses.push(`${ref.name}=${hostname}`);
      return 'written' as const;
    },
    uuid: () => `00000000-0000-4000-8000-${String(++uuid).padStart(12, '0')}`,
  });
  return { clock, config, reconciler, registry, observation, creates, statuses, cluster };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('Reconciler', () => {
  it('logs a persisting problem once, then every 10 minutes, and says when it is resolved', async () => {
    const lines: { event?: string; msg?: string; repeatedSinceLastLog?: number }[] = [];
    const certificates: CertificateSummary[] = [];
    const { clock, reconciler } = setup({ lines, certificates });
    // 21 cycles, 30 s apart: the first at 0:00, the last at 10:00.
    for (let i = 0; i < 21; i++) {
      await reconciler.cycle();
      clock.advance(30_000);
    }
    expect(lines.filter((l) => l.event === 'problem').map((l) => l.msg)).toEqual(['no certificates found', 'no certificates found']);
    expect(lines.filter((l) => l.event === 'problem')[1]!.repeatedSinceLastLog).toBe(19);
    certificates.push(cert('arn:cert', ['*.example.org']));
    await reconciler.cycle();
    expect(lines.filter((l) => l.event === 'problem-resolved').map((l) => l.msg)).toEqual(['resolved: no certificates found']);
  });

  it('scans AWS at the first cycle and once per polling interval, not for every cycle in between', async () => {
    const { reconciler, observation, clock, config } = setup();
    expect((await reconciler.cycle()).resync).toBe(true);
    clock.advance(1_000);
    expect((await reconciler.cycle()).resync).toBe(false);
    clock.advance(config.pollingIntervalMs);
    expect((await reconciler.cycle()).resync).toBe(true);
    expect(observation.scans).toBe(2);
  });

  it('hands a new load balancer to a new stack actor, with no AWS read in a cycle that is not a scan', async () => {
    const { reconciler, observation, registry, creates, clock, cluster } = setup({ ingresses: [] });
    await reconciler.cycle();
    clock.advance(1_000);
    cluster.ingresses = [ingress('a', ['a.example.org'])];
    const summary = await reconciler.cycle();
    await settle();
    expect(summary.planned.map((p) => p.action)).toEqual(['create']);
    expect(creates).toEqual([summary.planned[0]!.stackName]);
    expect(registry.phaseOf(summary.planned[0]!.stackName)).toBe('creating');
    expect(observation.scans).toBe(1);
    expect(observation.lbReads).toEqual([]);
    expect(summary.placements.map((p) => p.reason)).toEqual([`load balancer ${summary.planned[0]!.stackName} is not ready yet (creating)`]);
  });

  it('writes the status once the load balancer is active and old enough, and says when to look again before', async () => {
    const { reconciler, observation, statuses, clock, config } = setup();
    const raw = rawStack('s1', { certs: { 'arn:cert': null } });
    observation.listed = [{ ...raw, createdAt: NOW, lastUpdatedAt: undefined }];
    observation.lbState = { arn: raw.outputs.LoadBalancerARN!, state: 'active', createdAt: NOW };
    const early = await reconciler.cycle();
    expect(statuses).toEqual([]);
    expect(early.nextWakeAt).toBe(NOW + config.minLoadBalancerAgeMs);
    clock.advanceTo(NOW + config.minLoadBalancerAgeMs);
    await reconciler.cycle();
    expect(statuses).toEqual([`a=${raw.outputs.LoadBalancerDNSName!.toLowerCase()}`]);
  });

  it('stops without certificates: nothing is handed to actors, nothing written', async () => {
    const { reconciler, registry, statuses } = setup({ certificates: [] });
    const summary = await reconciler.cycle();
    expect(summary.ok).toBe(false);
    expect(summary.problems).toEqual(['no certificates found']);
    expect(registry.list()).toEqual([]);
    expect(statuses).toEqual([]);
  });
});
