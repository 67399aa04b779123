// Persisted stack-actor snapshots across versions of the machine. A snapshot written by an older version is
// migrated to the current shape where the meaning is unchanged; anything else is dropped, and the stack is
// re-adopted from its AWS tags (what the state directory holds is a cache of what the tags also say).
import { STACK_MACHINE_VERSION, type StackMachine } from './stack-machine.ts';

export type SnapshotRestore =
  | { readonly kind: 'restore'; readonly snapshot: unknown; readonly migratedFrom?: number }
  | { readonly kind: 'drop'; readonly reason: string };

interface PersistedSnapshot {
  status?: string;
  value?: unknown;
  context?: Record<string, unknown>;
  children?: Record<string, { src?: unknown; snapshot?: { input?: Record<string, unknown> } }>;
  [key: string]: unknown;
}

/** Migrations from version N to N+1, by N. */
const MIGRATIONS: Record<number, (s: PersistedSnapshot) => PersistedSnapshot> = {
  // Version 1 had a `failedResumed` state (a second `failed` that did not count an attempt on entry) and one
  // invoked actor per operation (createStack, updateStack, deleteStack) instead of one `submit`.
  1: (s) => {
    const operations: Record<string, string> = { createStack: 'create', updateStack: 'update', deleteStack: 'delete' };
    const children: PersistedSnapshot['children'] = {};
    for (const [id, child] of Object.entries(s.children ?? {})) {
      const operation = typeof child.src === 'string' ? operations[child.src] : undefined;
      if (!operation) {
        children[id] = child;
        continue;
      }
      const input = child.snapshot?.input ?? {};
      children[id] = {
        ...child, src: 'submit',
        snapshot: { ...child.snapshot, input: { operation, name: input.name, document: input.document, targetGroupARNs: input.targetGroupARNs ?? [] } },
      };
    }
    return { ...s, value: s.value === 'failedResumed' ? 'failed' : s.value, children };
  },
  // Version 3 remembers which operation failed (a drain whose update failed is deleted at its deadline); version 2
  // said so only in the message.
  2: (s) => {
    const context = s.context ?? {};
    const lastError = typeof context.lastError === 'string' ? context.lastError : '';
    const operation = /^(create|update|delete) failed/.exec(lastError)?.[1] ?? (lastError.includes('during update') ? 'update' : null);
    return { ...s, context: { ...context, failedOperation: s.value === 'failed' ? operation : null } };
  },
};

export function restoreStackSnapshot(machine: StackMachine, version: number, snapshot: unknown): SnapshotRestore {
  const s = snapshot as PersistedSnapshot;
  if (s.status === 'done') return { kind: 'drop', reason: 'the stack was deleted' };
  if (!Number.isInteger(version) || version < 1 || version > STACK_MACHINE_VERSION) {
    return { kind: 'drop', reason: `written by machine version ${version}, this is version ${STACK_MACHINE_VERSION}` };
  }
  let current = s;
  for (let v = version; v < STACK_MACHINE_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate) return { kind: 'drop', reason: `no migration from machine version ${v}` };
    current = migrate(current);
  }
  // A state this machine does not have would make xstate throw later, outside any try.
  if (!stateExists(machine.root, current.value)) return { kind: 'drop', reason: `unknown state ${JSON.stringify(current.value)}` };
  return version === STACK_MACHINE_VERSION ? { kind: 'restore', snapshot: current } : { kind: 'restore', snapshot: current, migratedFrom: version };
}

/** True when `value` names states that exist in the machine. */
function stateExists(node: { states: Record<string, unknown> }, value: unknown): boolean {
  if (typeof value === 'string') return Object.hasOwn(node.states, value);
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).every(([key, child]) => {
    const next = node.states[key] as { states: Record<string, unknown> } | undefined;
    return next !== undefined && stateExists(next, child);
  });
}
