// Dispatch: hand every planned load balancer to its stack actor. The actors execute (create, update, drain,
// delete); this only names the stack each plan entry belongs to: the existing stack, an actor still creating
// one for the same kind of load balancer, or a new random name.
import type { CyclePlan } from '../../services/planning/cycle-plan.ts';
import { stackName as makeStackName } from '../../services/planning/template/stack-name.ts';
import type { StackActorRegistry } from '../stack-registry.ts';
import type { StackTarget } from '../stack-machine.ts';
import { pause, STACK_SLICE, type PlannedLoadBalancer } from './cycle-types.ts';

export interface DispatchDeps {
  readonly registry: StackActorRegistry;
  readonly clusterId: string;
  /** Random UUID source (seeded in the scenario runner so stack names are reproducible). */
  readonly uuid: () => string;
}

export async function dispatch(plan: CyclePlan, stackNames: ReadonlySet<string>, deps: DispatchDeps): Promise<PlannedLoadBalancer[]> {
  const { registry } = deps;
  const planned: PlannedLoadBalancer[] = [];
  const claimed = new Set<string>();
  let handled = 0;
  for (const p of plan.stacks) {
    if (++handled % STACK_SLICE === 0) await pause();
    // A stack being deleted without an actor (state lost mid-delete) finishes on its own.
    if (p.stack?.status === 'DELETE_IN_PROGRESS' && !registry.has(p.stack.name)) continue;
    // A stack being created is not listed yet, or its create failed and rolled away: reuse that actor.
    const name = p.stack?.name ?? registry.pendingCreation(claimed, p.document) ?? makeStackName(deps.clusterId, deps.uuid());
    claimed.add(name);
    const target: StackTarget = { intent: p.action, document: p.document, drainDeadline: p.drainDeadline, targetGroupARNs: p.stack?.targetGroupARNs ?? [] };
    registry.desire(name, target);
    planned.push({ stackName: name, action: p.action, spec: p.spec, document: p.document });
  }
  registry.retireUnclaimed(claimed, stackNames);
  return planned;
}
