// The one observation of AWS: what it scans, what it asks again, and how the shared poll batches.
import { describe, expect, it } from 'vitest';
import { AwsObservation, type ObservationSources, type StackScan } from '../../../services/aws/observation.ts';
import type { StackObservation } from '../../../services/aws/stack-operations.ts';
import type { LoadBalancerState } from '../../../services/planning/types/stack.ts';
import { VirtualClock } from '../../../tools/support/virtual-clock.ts';

const stack = (name: string, over: Partial<StackObservation> = {}): StackObservation => ({
  name, stackId: `id-${name}`, status: 'CREATE_COMPLETE', statusReason: '', outputs: { LoadBalancerARN: `lb-${name}` },
  parameters: {}, tags: { owner: 'us' }, createdAt: 1, lastUpdatedAt: undefined, terminationProtection: false, ...over,
});

class Sources implements ObservationSources {
  calls: string[] = [];
  stacks: StackObservation[] = [];
  pages = 1;
  lbState = 'active';
  async scanStacks(): Promise<StackScan> {
    this.calls.push('scan');
    return { stacks: [...this.stacks], pages: this.pages };
  }
  async describeStack(name: string) {
    this.calls.push(`describe ${name}`);
    return this.stacks.find((s) => s.name === name);
  }
  async getTemplate(name: string) {
    this.calls.push(`template ${name}`);
    return `{"Name":"${name}"}`;
  }
  async loadBalancerStates(arns: readonly string[]) {
    this.calls.push(`lbs ${arns.join(',')}`);
    const states = new Map<string, LoadBalancerState>(arns.map((arn) => [arn, { arn, state: this.lbState, createdAt: 0 }]));
    return { states, missing: [] };
  }
}

function setup() {
  const clock = new VirtualClock(1_000_000);
  const sources = new Sources();
  const observation = new AwsObservation({ sources, clock, isManaged: (tags) => tags.owner === 'us', loadBalancerRecheckMs: 10_000 });
  return { clock, sources, observation };
}

describe('AwsObservation', () => {
  it('the full scan keeps managed stacks only, with the state of their load balancers', async () => {
    const { sources, observation, clock } = setup();
    sources.stacks = [stack('a'), stack('theirs', { tags: { owner: 'them' } }), stack('b')];
    expect(observation.scannedAt).toBeUndefined();
    await observation.resync();
    expect(observation.scannedAt).toBe(clock.now());
    expect(observation.stacks().map((s) => s.name)).toEqual(['a', 'b']);
    expect(sources.calls).toEqual(['scan', 'lbs lb-a,lb-b']);
    // Known and active: no further call.
    expect([...(await observation.loadBalancerStates(['lb-a'])).keys()]).toEqual(['lb-a']);
    expect(sources.calls).toHaveLength(2);
  });

  it('asks for a load balancer it does not know, and again for one not active yet only after the recheck time', async () => {
    const { sources, observation, clock } = setup();
    await observation.resync();
    sources.lbState = 'provisioning';
    await observation.loadBalancerStates(['lb-new']);
    await observation.loadBalancerStates(['lb-new']);
    expect(sources.calls).toEqual(['scan', 'lbs lb-new']);
    expect(observation.nextLoadBalancerRecheck(['lb-new'])).toBe(clock.now() + 10_000);
    clock.advance(10_000);
    sources.lbState = 'active';
    expect((await observation.loadBalancerStates(['lb-new'])).get('lb-new')?.state).toBe('active');
    expect(observation.nextLoadBalancerRecheck(['lb-new'])).toBeUndefined();
    expect(sources.calls).toEqual(['scan', 'lbs lb-new', 'lbs lb-new']);
  });

  it('answers polls made together with one scan when that takes fewer calls, else stack by stack', async () => {
    const { sources, observation } = setup();
    sources.stacks = [stack('a'), stack('b'), stack('c')];
    await observation.resync();
    sources.calls = [];
    sources.stacks = [stack('a', { status: 'UPDATE_COMPLETE' }), stack('b')];
    const answers = await Promise.all(['a', 'b', 'c'].map((n) => observation.describe(n)));
    expect(sources.calls).toEqual(['scan']);
    expect(answers.map((a) => a?.status)).toEqual(['UPDATE_COMPLETE', 'CREATE_COMPLETE', undefined]);
    // The answers are the view now: c is gone, a updated.
    expect(observation.stacks().map((s) => `${s.name}:${s.status}`)).toEqual(['a:UPDATE_COMPLETE', 'b:CREATE_COMPLETE']);
    sources.calls = [];
    await observation.describe('a');
    expect(sources.calls).toEqual(['describe a']);
  });

  it('reads a template once per stack version and compares documents with it', async () => {
    const { sources, observation } = setup();
    sources.stacks = [stack('a')];
    await observation.resync();
    await observation.template('a');
    await observation.template('a');
    expect(sources.calls.filter((c) => c.startsWith('template'))).toEqual(['template a']);
    observation.record('a', stack('a', { lastUpdatedAt: 5 }));
    await observation.template('a');
    expect(sources.calls.filter((c) => c.startsWith('template'))).toEqual(['template a', 'template a']);
    const live = { templateBody: '{"Name":"a"}', parameters: {}, tags: { owner: 'us' } };
    expect(await observation.compare('a', live)).toEqual({ exists: true, upToDate: true });
    expect(await observation.compare('a', { ...live, tags: {} })).toEqual({ exists: true, upToDate: false });
    expect(await observation.compare('nope', live)).toEqual({ exists: false, upToDate: false });
  });
});
