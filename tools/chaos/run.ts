// One chaos run: the compiled controller process against the simulations (bench/sim-host.ts, a process of its
// own) on the real clock with short timings. A seeded generator picks every move: ingress churn, SIGKILLs (some
// right after a stack operation was sent, some with the state directory wiped), and windows of throttled or
// failing CloudFormation operations. Then the faults stop, the controller is left alone until things settle,
// and the invariants (invariants.ts, planner-check.ts) are judged against the simulations' own records.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLUSTER_ID, clusterWorld } from '../../bench/cluster-world.ts';
import { buildController, startController, startSimHost, type ControllerProcess, type SimHost } from '../../bench/processes.ts';
import type { BehaviourPatch, LoadBalancerView, LoggedCall, StackView } from '../../bench/sim-host.ts';
import { FLAGS as FLAG_SPECS } from '../../services/config/flags.ts';
import { parseCommandLine } from '../../services/config/parse.ts';
import { seededRandom } from '../support/seeded-random.ts';
import {
  ingressKey, judgeDrainTiming, judgeEndState, judgeDeletions, judgeStatusWrites, judgeSwitches, newJudge,
  type IngressChange, type Judge, type IngressIntent, type Interval, type StatusWrite, type Violation,
} from './invariants.ts';
import { judgePlan } from './planner-check.ts';

export interface ChaosOptions {
  readonly seed: number;
  /** How long the churn (and the kills and faults) goes on. */
  readonly durationMs: number;
  /** Longest wait for things to settle after the churn; the invariants are judged either way. */
  readonly settleTimeoutMs: number;
  readonly log?: (line: string) => void;
  /** Keep the controller logs and records even when no invariant was violated. */
  readonly keep?: boolean;
}

export interface ChaosReport {
  readonly seed: number;
  readonly iterations: number;
  readonly kills: number;
  /** Kills right after the controller sent a stack operation. */
  readonly midSubmitKills: number;
  readonly wipes: number;
  /** Exits the driver did not cause (each one is in the log, with the controller's last lines). */
  readonly ownExits: number;
  readonly churn: Readonly<Record<string, number>>;
  readonly faults: Readonly<Record<string, number>>;
  readonly createStacks: number;
  readonly deleteStacks: number;
  readonly settledAfterMs: number;
  readonly settled: boolean;
  readonly checks: number;
  readonly checksBy: Readonly<Record<string, number>>;
  readonly violations: readonly Violation[];
  /** Where the controller logs and the records the verdict was made from were written. */
  readonly dumpDir: string;
  readonly kept: boolean;
}

const NAMESPACE = 'chaos';
const POOL = 8;
const CERTIFICATES = 6;
const POLLING_MS = 2000;
const OPERATION_MS = 1000;
const CERT_TTL_S = 10;
// A controller with leader election (when it has the flag) waits for the killed leader's Lease to expire before
// it acts: short lease timings keep that wait inside the start-up time the invariants allow.
const LEADER_ELECTION = FLAG_SPECS.some((f) => f.name === 'leader-election');
const LEASE_MS = 3000;
const FLAGS = [
  `--polling-interval=${POLLING_MS / 1000}s`, '--stack-poll-interval=1s', '--min-load-balancer-age=1s', `--cert-ttl-timeout=${CERT_TTL_S}s`,
  ...(LEADER_ELECTION ? [`--leader-election-lease-duration=${LEASE_MS / 1000}s`, '--leader-election-renew-deadline=2s', '--leader-election-retry-period=500ms'] : []),
];
// How long a restarted controller may take before it acts (process start, discovery, first full scan).
const START_UP_MS = 5000 + (LEADER_ELECTION ? LEASE_MS + 1000 : 0);
const domain = (i: number) => `d${i}.bench.example`;
const certificateArn = (i: number) => `arn:aws:acm:eu-central-1:123456789012:certificate/${String(i).padStart(8, '0')}`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Fault { readonly kind: string; readonly until: number; readonly patch: BehaviourPatch }

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo));

  buildController();
  const world = clusterWorld({ ingresses: 0, certificates: CERTIFICATES, dedicated: 0, spareCertificates: 0, flags: FLAGS, now: Date.now() });
  const aws = { ...world.aws, behaviour: { operationSeconds: OPERATION_MS / 1000 } };
  const dumpDir = mkdtempSync(path.join(tmpdir(), 'kiac-chaos-'));
  const stateDir = path.join(dumpDir, 'state');
  mkdirSync(stateDir);
  const outcome = parseCommandLine(['--target-access-mode=HostPort', `--cluster-id=${CLUSTER_ID}`, '--vpc-id=vpc-1', ...FLAGS], {});
  if (outcome.kind !== 'run') throw new Error('chaos flags do not make a configuration');
  const config = outcome.config;
  const baseline: BehaviourPatch = { failCreate: [], failUpdate: [], failDelete: [], failRollback: [], throttle: {}, serverErrors: {} };

  const intents = new Map<string, IngressIntent>();
  const changes: IngressChange[] = [];
  const up: { from: number; to: number | undefined }[] = [];
  const churn: Record<string, number> = {};
  const faultCounts: Record<string, number> = {};
  let faults: Fault[] = [];
  let kills = 0;
  let midSubmitKills = 0;
  let wipes = 0;
  let iterations = 0;
  let generation = 0;
  const count = (into: Record<string, number>, what: string) => void (into[what] = (into[what] ?? 0) + 1);

  let sim: SimHost | undefined;
  let controller: ControllerProcess | undefined;
  const dumpLogs = (c: ControllerProcess, n: number) => writeFileSync(path.join(dumpDir, `controller-${n}.log`), `${c.logs.join('\n')}\n`);
  let ownExits = 0;
  let killing = false;
  const start = async () => {
    generation += 1;
    const c = await startController(sim!.endpoints, FLAGS, stateDir);
    controller = c;
    const interval = { from: Date.now(), to: undefined as number | undefined };
    up.push(interval);
    // An exit the driver did not cause (a crash, or a leader that lost its Lease) ends the uptime too.
    c.process.once('exit', () => {
      if (killing || interval.to !== undefined) return;
      interval.to = Date.now();
      ownExits += 1;
      log(`chaos: the controller exited on its own (${c.process.exitCode ?? c.process.signalCode}); last lines:\n${c.logs.slice(-5).join('\n')}`);
    });
  };
  const running = () => controller !== undefined && controller.process.exitCode === null && controller.process.signalCode === null;
  const kill = async (wipe: boolean) => {
    const c = controller!;
    killing = true;
    await c.kill();
    killing = false;
    const last = up[up.length - 1]!;
    if (last.to === undefined) last.to = Date.now();
    dumpLogs(c, generation);
    controller = undefined;
    kills += 1;
    if (wipe) {
      rmSync(stateDir, { recursive: true, force: true });
      mkdirSync(stateDir);
      wipes += 1;
    }
  };

  const apply = async (intent: IngressIntent) => {
    const key = ingressKey(intent.namespace, intent.name);
    const before = intents.get(key);
    intents.set(key, intent);
    await sim!.apply({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
      metadata: { name: intent.name, namespace: intent.namespace, ...(intent.dedicated ? { annotations: { 'zalando.org/aws-load-balancer-shared': 'false' } } : {}) },
      spec: { rules: intent.hosts.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: intent.name, port: { number: 80 } } } }] } })) },
    });
    const requirements = `${intent.dedicated ? 'dedicated' : 'shared'} ${[...intent.hosts].sort().join(',')}`;
    // A new object (none before) has no status: a requirement change even when the spec is the same as an older one's.
    changes.push({ at: Date.now(), key, requirements: before ? requirements : `${requirements} #${changes.length}`, certificates: intent.certificates });
  };
  const remove = async (key: string) => {
    const intent = intents.get(key)!;
    intents.delete(key);
    await sim!.remove({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: intent.namespace, name: intent.name });
    changes.push({ at: Date.now(), key, requirements: null, certificates: [] });
  };
  const hosts = (name: string): { hosts: string[]; certificates: string[] } => {
    if (random() < 0.1) return { hosts: [`${name}.nocert.example`], certificates: [] };
    const picked = [...new Set(Array.from({ length: random() < 0.3 ? 2 : 1 }, () => between(0, CERTIFICATES)))];
    return { hosts: picked.map((i) => `${name}.${domain(i)}`), certificates: picked.map(certificateArn) };
  };

  /** One churn move on the ingresses; returns what it did. */
  const churnMove = async (): Promise<string> => {
    const present = [...intents.keys()];
    const absent = Array.from({ length: POOL }, (_, i) => `app-${i}`).filter((n) => !intents.has(ingressKey(NAMESPACE, n)));
    const roll = random();
    if (present.length === 0 || (roll < 0.35 && absent.length > 0)) {
      const name = pick(absent);
      await apply({ namespace: NAMESPACE, name, dedicated: random() < 0.4, ...hosts(name) });
      return 'create';
    }
    const key = pick(present);
    const intent = intents.get(key)!;
    if (roll < 0.55) {
      await remove(key);
      return 'delete';
    }
    if (roll < 0.78) {
      await apply({ ...intent, dedicated: !intent.dedicated });
      return 'flip-shared';
    }
    await apply({ ...intent, ...hosts(intent.name) });
    return 'change-hosts';
  };

  const setFaults = async () => {
    const now = Date.now();
    faults = faults.filter((f) => f.until > now);
    const patch: Required<Pick<BehaviourPatch, 'failCreate' | 'failUpdate' | 'failDelete' | 'failRollback' | 'throttle'>> = {
      failCreate: [], failUpdate: [], failDelete: [], failRollback: [], throttle: {},
    };
    for (const f of faults) {
      patch.failCreate.push(...(f.patch.failCreate ?? []));
      patch.failUpdate.push(...(f.patch.failUpdate ?? []));
      patch.failDelete.push(...(f.patch.failDelete ?? []));
      patch.failRollback.push(...(f.patch.failRollback ?? []));
      Object.assign(patch.throttle, f.patch.throttle ?? {});
    }
    await sim!.setBehaviour(patch);
  };
  const addFault = async (): Promise<string> => {
    const liveStacks = (await sim!.stacks()).filter((s) => s.status !== 'DELETE_COMPLETE').map((s) => s.name);
    const until = Date.now() + between(2000, 6000);
    const roll = random();
    let fault: Fault;
    if (roll < 0.35) {
      const rate = 0.2 + random() * 0.3;
      fault = { kind: 'throttle', until, patch: { throttle: Object.fromEntries(['CreateStack', 'UpdateStack', 'DeleteStack', 'DescribeStacks', 'UpdateTerminationProtection'].map((a) => [`cloudformation:${a}`, rate])) } };
    } else if (roll < 0.55) {
      fault = { kind: 'fail-create', until, patch: { failCreate: ['*'] } };
    } else if (roll < 0.75) {
      fault = { kind: 'fail-update', until, patch: { failUpdate: [liveStacks.length > 0 && random() < 0.7 ? pick(liveStacks) : '*'] } };
    } else if (roll < 0.9) {
      fault = { kind: 'fail-rollback', until, patch: { failRollback: [liveStacks.length > 0 ? pick(liveStacks) : '*'] } };
    } else {
      fault = { kind: 'fail-delete', until, patch: { failDelete: ['*'] } };
    }
    faults.push(fault);
    count(faultCounts, fault.kind);
    await setFaults();
    return fault.kind;
  };

  /** Applies a change, waits for the stack operation it causes to be sent, and kills the controller at once. */
  const killMidSubmit = async (): Promise<boolean> => {
    const from = (await sim!.calls()).length;
    count(churn, await churnMove());
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      const sent = (await sim!.calls(from)).some((c) => c.service === 'cloudformation' && c.mutating);
      if (sent) {
        await kill(random() < 0.25);
        return true;
      }
      await sleep(5);
    }
    return false;
  };

  const started = Date.now();
  let report: ChaosReport | undefined;
  try {
    sim = await startSimHost({ aws, objects: [], stackOf: {} }, { recordStackHistory: true });
    await start();
    log(`chaos: seed ${options.seed}, churn for ${options.durationMs / 1000} s, records in ${dumpDir}`);
    const churnEnd = started + options.durationMs;
    // Faults only in the first part: a stack that failed is retried after the controller's backoff (30 s),
    // and the end state is judged once those retries had their chance.
    const faultEnd = started + options.durationMs * 0.6;
    while (Date.now() < churnEnd) {
      iterations += 1;
      await setFaults();
      if (!running()) {
        if (controller) dumpLogs(controller, generation);
        await start();
        // Sometimes kill it again while it starts up.
        if (random() < 0.15) {
          await sleep(between(100, 1500));
          await kill(random() < 0.3);
          continue;
        }
      }
      const roll = random();
      if (roll < 0.05) {
        await kill(random() < 0.3);
        await sleep(between(0, 1500));
      } else if (roll < 0.09) {
        if (await killMidSubmit()) {
          midSubmitKills += 1;
          await sleep(between(0, 1000));
        }
      } else if (roll < 0.17 && Date.now() < faultEnd) {
        await addFault();
      } else {
        count(churn, await churnMove());
      }
      await sleep(between(200, 1500));
    }

    // Settle: no churn, no kill, no fault.
    faults = [];
    await sim.setBehaviour(baseline);
    if (!running()) await start();
    const settleStart = Date.now();
    let settled = false;
    let lastMutationSeq = -1;
    let lastMutationAt = Date.now();
    while (Date.now() - settleStart < options.settleTimeoutMs) {
      await sleep(1000);
      if (!running()) {
        dumpLogs(controller!, generation);
        await start();
      }
      const calls = await sim.calls();
      const mutations = calls.filter((c) => c.mutating && c.service === 'cloudformation');
      const last = mutations[mutations.length - 1];
      if (last && last.seq !== lastMutationSeq) {
        lastMutationSeq = last.seq;
        lastMutationAt = last.at;
      }
      if (Date.now() - lastMutationAt < 2 * POLLING_MS + OPERATION_MS) continue;
      const end = await endStateVerdict();
      if (end.violations.length === 0) {
        settled = true;
        break;
      }
    }
    const settledAfterMs = Date.now() - settleStart;

    // The verdict.
    const end = Date.now();
    dumpLogs(controller!, generation);
    killing = true;
    await controller!.stop();
    if (up[up.length - 1]!.to === undefined) up[up.length - 1]!.to = Date.now();
    controller = undefined;
    const judge = newJudge();
    const [stacks, loadBalancers, objects, calls, writes, history] = await Promise.all([
      sim.stacks(), sim.loadBalancers(), sim.objects(), sim.calls(), sim.writesWithBodies(), sim.stackHistory(),
    ]);
    judgeSnapshot(stacks, loadBalancers, objects, end, judge);
    const intervals: Interval[] = up.map((u) => ({ from: u.from, to: u.to ?? end }));
    judgeDrainTiming({ calls, up: intervals, timing: { pollingMs: POLLING_MS, operationMs: OPERATION_MS, startUpMs: START_UP_MS }, end, history }, judge);
    judgeSwitches({ changes, writes: statusWrites(writes) }, judge);
    judgeStatusWrites({ writes: statusWrites(writes), changes, stacks, history, graceMs: 2000 }, judge);
    judgeDeletions({ calls, writes: statusWrites(writes), changes, stacks }, judge);
    writeFileSync(path.join(dumpDir, 'records.json'), JSON.stringify({ seed: options.seed, up: intervals, changes, intents: [...intents.values()], stacks, loadBalancers, objects, calls, writes, history }, null, 1));
    report = {
      seed: options.seed, iterations, kills, midSubmitKills, wipes, ownExits, churn, faults: faultCounts,
      createStacks: countCalls(calls, 'CreateStack'), deleteStacks: countCalls(calls, 'DeleteStack'),
      settledAfterMs, settled, checks: judge.checks, checksBy: judge.checksBy, violations: judge.violations, dumpDir, kept: judge.violations.length > 0 || options.keep === true,
    };
    return report;
  } finally {
    if (controller) {
      dumpLogs(controller, generation);
      await controller.kill();
    }
    await sim?.close();
    rmSync(stateDir, { recursive: true, force: true });
    // A clean run leaves nothing behind; a failing one keeps its logs and records for the report.
    if (report && report.violations.length === 0 && !options.keep) rmSync(dumpDir, { recursive: true, force: true });
  }

  async function endStateVerdict() {
    const [stacks, loadBalancers, objects] = await Promise.all([sim!.stacks(), sim!.loadBalancers(), sim!.objects()]);
    return judgeSnapshot(stacks, loadBalancers, objects, Date.now(), newJudge());
  }

  /** The end-state invariants on one snapshot of the simulations. */
  function judgeSnapshot(stacks: StackView[], loadBalancers: LoadBalancerView[], objects: Record<string, unknown>[], now: number, judge: Judge): Judge {
    judgeEndState({ intents: [...intents.values()], hostnames: hostnamesOf(objects), stacks, loadBalancers }, judge);
    judgePlan({ objects, stacks, aws, config, clusterId: CLUSTER_ID, now }, judge);
    // Settled means every certificate nobody needs has gone: one still expiring is a pending update.
    for (const st of stacks.filter((x) => x.status !== 'DELETE_COMPLETE')) {
      const expiring = Object.entries(st.tags).filter(([k, v]) => k.startsWith('ingress:certificate-arn/') && v !== '0001-01-01T00:00:00Z');
      judge.check(expiring.length === 0, 'no certificate left expiring once settled', () => `${st.name} still carries ${expiring.map(([k, v]) => `${k.slice('ingress:certificate-arn/'.length)}=${v}`).join(', ')}`);
    }
    return judge;
  }
}

const countCalls = (calls: readonly LoggedCall[], action: string) => calls.filter((c) => c.action === action && c.error === undefined).length;

function hostnamesOf(objects: readonly Record<string, unknown>[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of objects) {
    const meta = o.metadata as { namespace: string; name: string };
    out.set(ingressKey(meta.namespace, meta.name), hostnameIn(o));
  }
  return out;
}

function hostnameIn(body: unknown): string {
  const status = (body as { status?: { loadBalancer?: { ingress?: { hostname?: string }[] | null } } } | undefined)?.status;
  return status?.loadBalancer?.ingress?.[0]?.hostname ?? '';
}

const STATUS_PATH = /^\/apis\/networking\.k8s\.io\/v1\/namespaces\/([^/]+)\/ingresses\/([^/]+)\/status$/;

function statusWrites(writes: readonly { at: number; method: string; path: string; status: number; body: unknown }[]): StatusWrite[] {
  const out: StatusWrite[] = [];
  for (const w of writes) {
    const m = STATUS_PATH.exec(w.path);
    if (!m || w.status !== 200 || (w.method !== 'PATCH' && w.method !== 'PUT')) continue;
    out.push({ at: w.at, key: ingressKey(m[1]!, m[2]!), hostname: hostnameIn(w.body) });
  }
  return out;
}
