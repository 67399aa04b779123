// Simulated CloudFormation (awsQuery): the stack calls the controller makes, with CloudFormation's status
// progressions driven by the injected clock and its error codes and messages, so the controller's handling of
// "No updates are to be performed.", AlreadyExists, in-progress stacks and rollbacks meets the real wording.
//
// Timing: the main phase of every operation (CREATE_/UPDATE_/DELETE_IN_PROGRESS) lasts behaviour.operationMs.
// On the failure paths each further phase (ROLLBACK_IN_PROGRESS, UPDATE_ROLLBACK_IN_PROGRESS, and
// CREATE_FAILED then DELETE_IN_PROGRESS for OnFailure=DELETE) lasts operationMs / 2.
//
// world.stacks is keyed by stack id: a name can be reused once its stack is DELETE_COMPLETE.
import { createHash } from 'node:crypto';
import type { Clock, TimerHandle } from '../../../services/clock.ts';
import { AwsError, globMatch, list, paginate, required } from './protocol.ts';
import {
  activateLoadBalancers, buildStackResources, effectiveParameters, hintsFromOutputs, parseTemplate,
  removeStackResources, resourcesFromOutputs, tryParseTemplate, validateTemplate, type ParameterInput, type Template,
} from './resources.ts';
import type { ServiceDefinition, SimContext } from './server.ts';
import { nextId, type StackInput, type SimStack, type Tags, type World } from './world.ts';

export const DESCRIBE_STACKS_PAGE_SIZE = 50;

const IN_PROGRESS_CONTINUATION: Record<string, string> = {
  CREATE_IN_PROGRESS: 'CREATE_COMPLETE',
  UPDATE_IN_PROGRESS: 'UPDATE_COMPLETE',
  DELETE_IN_PROGRESS: 'DELETE_COMPLETE',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK_COMPLETE',
  UPDATE_ROLLBACK_IN_PROGRESS: 'UPDATE_ROLLBACK_COMPLETE',
};

/** States from which UpdateStack is accepted. */
const UPDATABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

// Timers belong to the operation in flight; a new operation (or an out-of-band delete) cancels the old one.
const pending = new WeakMap<SimStack, { clock: Clock; handle: TimerHandle }>();
// The clock each world is run on, so scenario helpers that get only the world can stamp times.
const worldClocks = new WeakMap<World, Clock>();

function cancel(stack: SimStack): void {
  const p = pending.get(stack);
  if (p) p.clock.clearTimeout(p.handle);
  pending.delete(stack);
}

interface Phase { afterMs: number; enter: (now: number) => void }

/** Run the phases one after the other on the clock, each `afterMs` after the previous one. */
function runPhases(stack: SimStack, clock: Clock, phases: Phase[]): void {
  cancel(stack);
  const [first, ...rest] = phases;
  if (!first) return;
  const handle = clock.setTimeout(() => {
    pending.delete(stack);
    first.enter(clock.now());
    runPhases(stack, clock, rest);
  }, first.afterMs);
  pending.set(stack, { clock, handle });
}

function stackIdFor(world: World, name: string): string {
  const h = createHash('sha256').update(`${world.accountId}/${name}/${nextId(world)}`).digest('hex');
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `arn:aws:cloudformation:${world.region}:${world.accountId}:stack/${name}/${uuid}`;
}

const isLive = (s: SimStack) => s.status !== 'DELETE_COMPLETE';

/** A stack by name (the live one) or by stack id (any, deleted included), as DescribeStacks resolves it. */
function findStack(world: World, nameOrId: string): SimStack | undefined {
  if (nameOrId.startsWith('arn:')) return world.stacks.get(nameOrId);
  let found: SimStack | undefined;
  for (const s of world.stacks.values()) if (s.name === nameOrId && isLive(s)) found = s;
  return found;
}

function findLive(world: World, nameOrId: string): SimStack | undefined {
  const s = findStack(world, nameOrId);
  return s && isLive(s) ? s : undefined;
}

const tagsFromInput = (input: unknown): Tags => {
  const tags: Tags = {};
  for (const t of list<{ Key?: string; Value?: string }>(input)) tags[String(t.Key ?? '')] = String(t.Value ?? '');
  return tags;
};

const sameRecord = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

function sameTemplate(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

const truthy = (v: unknown) => v === true || v === 'true';

const firstResource = (template: Template) => Object.keys(template.Resources ?? {})[0] ?? 'Resource';

const stackNamePattern = /^[a-zA-Z][-a-zA-Z0-9]*$/;

// ---- operations -----------------------------------------------------------------------------------------

function startCreate(world: World, clock: Clock, stack: SimStack, template: Template, fail: boolean): void {
  const op = world.behaviour.operationMs;
  const half = op / 2;
  const failed = firstResource(template);
  stack.status = 'CREATE_IN_PROGRESS';
  stack.statusReason = 'User Initiated';
  const outputs = buildStackResources(world, stack, template, { now: clock.now(), lbState: 'provisioning' });
  if (!fail) {
    runPhases(stack, clock, [{
      afterMs: op,
      enter: () => {
        activateLoadBalancers(world, stack);
        stack.outputs = outputs;
        stack.status = 'CREATE_COMPLETE';
        stack.statusReason = '';
      },
    }]);
    return;
  }
  const reason = `The following resource(s) failed to create: [${failed}]. `;
  const onFailure = stack.onFailure ?? 'ROLLBACK';
  if (onFailure === 'DO_NOTHING') {
    runPhases(stack, clock, [{
      afterMs: op,
      enter: () => {
        activateLoadBalancers(world, stack);
        stack.status = 'CREATE_FAILED';
        stack.statusReason = reason;
      },
    }]);
  } else if (onFailure === 'DELETE') {
    runPhases(stack, clock, [
      { afterMs: op, enter: () => { stack.status = 'CREATE_FAILED'; stack.statusReason = reason; } },
      { afterMs: half, enter: (now) => { stack.status = 'DELETE_IN_PROGRESS'; stack.statusReason = `${reason}Delete requested by user.`; stack.deletedAt = now; } },
      { afterMs: half, enter: () => { removeStackResources(world, stack); stack.status = 'DELETE_COMPLETE'; } },
    ]);
  } else {
    runPhases(stack, clock, [
      { afterMs: op, enter: () => { stack.status = 'ROLLBACK_IN_PROGRESS'; stack.statusReason = `${reason}Rollback requested by user.`; } },
      { afterMs: half, enter: () => { removeStackResources(world, stack); stack.status = 'ROLLBACK_COMPLETE'; } },
    ]);
  }
}

interface StackDefinition { templateBody: string; parameters: Record<string, string>; tags: Tags }

/** How an update ends: completes, rolls back, or rolls back and the rollback fails too. */
type UpdateEnd = 'complete' | 'rollback' | 'rollback-fails';

function startUpdate(world: World, clock: Clock, stack: SimStack, template: Template, next: StackDefinition, end: UpdateEnd): void {
  const op = world.behaviour.operationMs;
  // CloudFormation shows the new definition while updating and restores the old one if the update rolls back.
  const before: StackDefinition = { templateBody: stack.templateBody, parameters: stack.parameters, tags: stack.tags };
  Object.assign(stack, next);
  stack.status = 'UPDATE_IN_PROGRESS';
  stack.statusReason = 'User Initiated';
  stack.lastUpdatedAt = clock.now();
  if (end === 'complete') {
    runPhases(stack, clock, [{
      afterMs: op,
      enter: (now) => {
        stack.outputs = buildStackResources(world, stack, template, { now, lbState: 'active' });
        stack.status = 'UPDATE_COMPLETE';
        stack.statusReason = '';
      },
    }]);
    return;
  }
  runPhases(stack, clock, [
    {
      afterMs: op,
      enter: () => {
        stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
        stack.statusReason = `The following resource(s) failed to update: [${firstResource(template)}]. `;
      },
    },
    end === 'rollback-fails'
      ? {
        afterMs: op / 2,
        enter: () => {
          rollbackBefore.set(stack, before);
          stack.status = 'UPDATE_ROLLBACK_FAILED';
          stack.statusReason = `The following resource(s) failed to update: [${firstResource(template)}]. `;
        },
      }
      : {
        afterMs: op / 2,
        enter: () => {
          Object.assign(stack, before);
          stack.status = 'UPDATE_ROLLBACK_COMPLETE';
        },
      },
  ]);
}

// The definition an UPDATE_ROLLBACK_FAILED stack goes back to once ContinueUpdateRollback is called.
const rollbackBefore = new WeakMap<SimStack, StackDefinition>();

function continueUpdateRollback(input: any, ctx: SimContext): unknown {
  const { world, clock } = ctx;
  worldClocks.set(world, clock);
  const name = required(input, 'StackName');
  const stack = findLive(world, name);
  if (!stack) throw new AwsError('ValidationError', `Stack [${name}] does not exist`);
  if (stack.status !== 'UPDATE_ROLLBACK_FAILED') {
    throw new AwsError('ValidationError', `Stack ${stack.stackId} is in ${stack.status} state and can not continue rollback. It must be in UPDATE_ROLLBACK_FAILED state.`);
  }
  const before = rollbackBefore.get(stack);
  stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
  stack.statusReason = 'User Initiated';
  runPhases(stack, clock, [{
    afterMs: world.behaviour.operationMs / 2,
    enter: () => {
      if (before) Object.assign(stack, before);
      rollbackBefore.delete(stack);
      stack.status = 'UPDATE_ROLLBACK_COMPLETE';
      stack.statusReason = '';
    },
  }]);
  return {};
}

function startDelete(world: World, clock: Clock, stack: SimStack, fail: boolean): void {
  stack.status = 'DELETE_IN_PROGRESS';
  stack.statusReason = 'User Initiated';
  stack.deletedAt = clock.now();
  const failed = Object.keys(stack.resources ?? {})[0] ?? 'Resource';
  runPhases(stack, clock, [{
    afterMs: world.behaviour.operationMs,
    enter: () => {
      if (fail) {
        stack.status = 'DELETE_FAILED';
        stack.statusReason = `The following resource(s) failed to delete: [${failed}]. `;
        delete stack.deletedAt;
      } else {
        removeStackResources(world, stack);
        stack.status = 'DELETE_COMPLETE';
        stack.statusReason = '';
      }
    },
  }]);
}

// ---- handlers -------------------------------------------------------------------------------------------

function describeStack(stack: SimStack): Record<string, unknown> {
  const template = tryParseTemplate(stack.templateBody);
  const parameters = Object.entries(stack.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
  const outputs = Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({
    OutputKey, OutputValue, Description: template?.Outputs?.[OutputKey]?.Description,
  }));
  const tags = Object.entries(stack.tags).map(([Key, Value]) => ({ Key, Value }));
  // Outputs are absent until an operation produced some; Parameters and Tags are always there, maybe empty.
  return {
    StackId: stack.stackId,
    StackName: stack.name,
    Description: template?.Description,
    Parameters: parameters,
    CreationTime: new Date(stack.createdAt),
    DeletionTime: stack.deletedAt === undefined ? undefined : new Date(stack.deletedAt),
    LastUpdatedTime: stack.lastUpdatedAt === undefined ? undefined : new Date(stack.lastUpdatedAt),
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason || undefined,
    DisableRollback: stack.onFailure === 'DO_NOTHING',
    TimeoutInMinutes: stack.timeoutInMinutes,
    Outputs: outputs.length > 0 ? outputs : undefined,
    Tags: tags,
    EnableTerminationProtection: stack.terminationProtection,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

function describeStacks(input: any, ctx: SimContext): unknown {
  worldClocks.set(ctx.world, ctx.clock);
  if (input.StackName) {
    const name = String(input.StackName);
    const stack = findStack(ctx.world, name);
    if (!stack) throw new AwsError('ValidationError', `Stack with id ${name} does not exist`);
    return { Stacks: [describeStack(stack)] };
  }
  const live = [...ctx.world.stacks.values()].filter(isLive);
  const { page, next } = paginate(live, input.NextToken, DESCRIBE_STACKS_PAGE_SIZE);
  return { Stacks: page.map(describeStack), NextToken: next };
}

function getTemplate(input: any, ctx: SimContext): unknown {
  const name = required(input, 'StackName');
  const stack = findStack(ctx.world, name);
  if (!stack) throw new AwsError('ValidationError', `Stack with id ${name} does not exist`);
  return { TemplateBody: stack.templateBody, StagesAvailable: ['Original', 'Processed'] };
}

function createStack(input: any, ctx: SimContext): unknown {
  const { world, clock } = ctx;
  worldClocks.set(world, clock);
  const name = required(input, 'StackName');
  if (!stackNamePattern.test(name) || name.length > 128) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
  }
  if (input.TemplateBody === undefined && input.TemplateURL === undefined) {
    throw new AwsError('ValidationError', 'Either Template URL or Template Body must be specified.');
  }
  if (input.TemplateBody === undefined) throw new AwsError('ValidationError', 'TemplateURL is not supported by the simulated CloudFormation');
  if (input.OnFailure !== undefined && input.DisableRollback !== undefined) {
    throw new AwsError('ValidationError', 'You cannot specify both OnFailure and DisableRollback.');
  }
  if (findLive(world, name)) throw new AwsError('AlreadyExistsException', `Stack [${name}] already exists`);
  const templateBody = String(input.TemplateBody);
  const template = parseTemplate(templateBody);
  validateTemplate(template);
  const parameters = effectiveParameters(template, list<ParameterInput>(input.Parameters));
  const onFailure = input.OnFailure !== undefined ? String(input.OnFailure) : truthy(input.DisableRollback) ? 'DO_NOTHING' : 'ROLLBACK';
  if (!['ROLLBACK', 'DELETE', 'DO_NOTHING'].includes(onFailure)) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${onFailure}' at 'onFailure' failed to satisfy constraint: Member must satisfy enum value set: [DO_NOTHING, ROLLBACK, DELETE]`);
  }
  const stack: SimStack = {
    name,
    stackId: stackIdFor(world, name),
    status: 'CREATE_IN_PROGRESS',
    statusReason: '',
    tags: tagsFromInput(input.Tags),
    parameters,
    outputs: {},
    templateBody,
    terminationProtection: truthy(input.EnableTerminationProtection),
    onFailure,
    createdAt: clock.now(),
    ...(input.TimeoutInMinutes !== undefined ? { timeoutInMinutes: Number(input.TimeoutInMinutes) } : {}),
  };
  startCreate(world, clock, stack, template, world.behaviour.failCreate.some((g) => globMatch(g, name)));
  world.stacks.set(stack.stackId, stack);
  return { StackId: stack.stackId };
}

function updateStack(input: any, ctx: SimContext): unknown {
  const { world, clock } = ctx;
  worldClocks.set(world, clock);
  const name = required(input, 'StackName');
  const stack = findLive(world, name);
  if (!stack) throw new AwsError('ValidationError', `Stack [${name}] does not exist`);
  if (!UPDATABLE.has(stack.status)) {
    throw new AwsError('ValidationError', `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
  }
  let templateBody: string;
  if (input.TemplateBody !== undefined) templateBody = String(input.TemplateBody);
  else if (truthy(input.UsePreviousTemplate)) templateBody = stack.templateBody;
  else throw new AwsError('ValidationError', 'Either Template URL or Template Body must be specified.');
  const template = parseTemplate(templateBody);
  validateTemplate(template);
  const parameters = effectiveParameters(template, list<ParameterInput>(input.Parameters), stack.parameters);
  // Tags left out keep the stack's tags; an empty list (sent as `Tags=`) removes them.
  const tags = input.Tags === undefined ? stack.tags : tagsFromInput(input.Tags);
  if (sameTemplate(templateBody, stack.templateBody) && sameRecord(parameters, stack.parameters) && sameRecord(tags, stack.tags)) {
    throw new AwsError('ValidationError', 'No updates are to be performed.');
  }
  const matches = (globs: readonly string[]) => globs.some((g) => globMatch(g, stack.name));
  const end: UpdateEnd = matches(world.behaviour.failRollback) ? 'rollback-fails' : matches(world.behaviour.failUpdate) ? 'rollback' : 'complete';
  startUpdate(world, clock, stack, template, { templateBody, parameters, tags }, end);
  return { StackId: stack.stackId };
}

function deleteStack(input: any, ctx: SimContext): unknown {
  const { world, clock } = ctx;
  worldClocks.set(world, clock);
  const name = required(input, 'StackName');
  const stack = findLive(world, name);
  // Deleting a stack that does not exist (or is already gone) succeeds, as it does in AWS.
  if (!stack || stack.status === 'DELETE_IN_PROGRESS') return {};
  if (stack.terminationProtection) {
    throw new AwsError('ValidationError', `Stack [${stack.name}] cannot be deleted while TerminationProtection is enabled`);
  }
  startDelete(world, clock, stack, world.behaviour.failDelete.some((g) => globMatch(g, stack.name)));
  return {};
}

function updateTerminationProtection(input: any, ctx: SimContext): unknown {
  const name = required(input, 'StackName');
  const enable = required(input, 'EnableTerminationProtection');
  const stack = findLive(ctx.world, name);
  if (!stack) throw new AwsError('ValidationError', `Stack [${name}] does not exist`);
  stack.terminationProtection = enable === 'true';
  return { StackId: stack.stackId };
}

// ---- call log -------------------------------------------------------------------------------------------

function normalizeStackInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sent = (k: string) => input[k] !== undefined;
  if (sent('StackName')) out.StackName = input.StackName;
  if (sent('TemplateBody')) out.TemplateBody = input.TemplateBody;
  if (sent('UsePreviousTemplate')) out.UsePreviousTemplate = truthy(input.UsePreviousTemplate);
  if (sent('Parameters')) {
    out.Parameters = list<ParameterInput>(input.Parameters).map((p) => ({
      ParameterKey: p.ParameterKey,
      ...(p.ParameterValue !== undefined ? { ParameterValue: p.ParameterValue } : {}),
      ...(p.UsePreviousValue !== undefined ? { UsePreviousValue: truthy(p.UsePreviousValue) } : {}),
    }));
  }
  if (sent('Tags')) out.Tags = list<{ Key?: string; Value?: string }>(input.Tags).map((t) => ({ Key: t.Key, Value: t.Value }));
  if (sent('OnFailure')) out.OnFailure = input.OnFailure;
  if (sent('TimeoutInMinutes')) out.TimeoutInMinutes = Number(input.TimeoutInMinutes);
  if (sent('EnableTerminationProtection')) out.EnableTerminationProtection = truthy(input.EnableTerminationProtection);
  if (sent('DisableRollback')) out.DisableRollback = truthy(input.DisableRollback);
  if (sent('Capabilities')) out.Capabilities = list(input.Capabilities);
  for (const [k, v] of Object.entries(input)) if (!(k in out)) out[k] = v;
  return out;
}

function normalize(action: string, input: any): unknown {
  if (action === 'CreateStack' || action === 'UpdateStack') return normalizeStackInput(input);
  if (action === 'UpdateTerminationProtection') {
    return { StackName: input.StackName, EnableTerminationProtection: truthy(input.EnableTerminationProtection) };
  }
  return input;
}

export const cloudFormationService: ServiceDefinition = {
  name: 'cloudformation',
  protocol: 'query',
  handlers: {
    DescribeStacks: describeStacks,
    GetTemplate: getTemplate,
    CreateStack: createStack,
    UpdateStack: updateStack,
    DeleteStack: deleteStack,
    UpdateTerminationProtection: updateTerminationProtection,
    ContinueUpdateRollback: continueUpdateRollback,
  },
  mutating: new Set(['CreateStack', 'UpdateStack', 'DeleteStack', 'UpdateTerminationProtection', 'ContinueUpdateRollback']),
  normalize,
};

// ---- scenario helpers -----------------------------------------------------------------------------------

const templateText = (t: unknown): string => (t === undefined ? '' : typeof t === 'string' ? t : JSON.stringify(t));

/** A scenario's parameters plus the template defaults it left out, as CloudFormation would report them. */
function withDefaults(template: Template, given: Record<string, string>): Record<string, string> {
  const out = { ...given };
  for (const [key, decl] of Object.entries(template.Parameters ?? {})) {
    if (!(key in out) && decl?.Default !== undefined) out[key] = String(decl.Default);
  }
  return out;
}

/**
 * Materialise the stacks a scenario says exist before the controller starts. Outputs given win; otherwise
 * they are derived from the template. Live stacks get their resources; stacks given in an *_IN_PROGRESS
 * status carry on to the matching end status after operationMs.
 */
export function loadStacks(world: World, inputs: StackInput[], clock: Clock): SimStack[] {
  worldClocks.set(world, clock);
  const loaded: SimStack[] = [];
  for (const input of inputs) {
    const templateBody = templateText(input.template);
    const template = templateBody ? tryParseTemplate(templateBody) : undefined;
    const stack: SimStack = {
      name: input.name,
      stackId: stackIdFor(world, input.name),
      status: input.status ?? 'CREATE_COMPLETE',
      statusReason: input.statusReason ?? '',
      tags: { ...(input.tags ?? {}) },
      parameters: template ? withDefaults(template, input.parameters ?? {}) : { ...(input.parameters ?? {}) },
      outputs: { ...(input.outputs ?? {}) },
      templateBody,
      terminationProtection: input.terminationProtection ?? false,
      createdAt: input.createdAt ? Date.parse(input.createdAt) : clock.now(),
    };
    if (stack.status === 'DELETE_COMPLETE') stack.deletedAt = stack.createdAt;
    world.stacks.set(stack.stackId, stack);
    loaded.push(stack);
    const hasResources = isLive(stack) && !['ROLLBACK_COMPLETE', 'ROLLBACK_IN_PROGRESS'].includes(stack.status);
    const creating = stack.status === 'CREATE_IN_PROGRESS';
    let derived: Record<string, string> = {};
    if (hasResources) {
      if (template) {
        derived = buildStackResources(world, stack, template, {
          now: stack.createdAt, lbState: creating ? 'provisioning' : 'active', hints: hintsFromOutputs(template, stack.outputs),
        });
        // A stack still being created has no outputs yet; they appear when it completes.
        if (input.outputs === undefined && !creating) stack.outputs = derived;
      } else {
        resourcesFromOutputs(world, stack, stack.createdAt);
      }
    }
    const end = IN_PROGRESS_CONTINUATION[stack.status];
    if (end) {
      runPhases(stack, clock, [{
        afterMs: world.behaviour.operationMs,
        enter: () => {
          if (end === 'DELETE_COMPLETE' || end === 'ROLLBACK_COMPLETE') removeStackResources(world, stack);
          if (end === 'CREATE_COMPLETE') {
            activateLoadBalancers(world, stack);
            if (input.outputs === undefined) stack.outputs = derived;
          }
          stack.status = end;
        },
      }]);
    }
  }
  return loaded;
}

/** Scenario step: a load balancer changes state behind the controller's back (e.g. `failed`). */
export function setLoadBalancerState(world: World, arn: string, state: string): void {
  const lb = world.loadBalancers.get(arn);
  if (!lb) throw new Error(`setLoadBalancerState: no load balancer ${arn}`);
  lb.state = state;
}

/** Scenario step: someone deletes a stack outside the controller; it is gone at once. Returns false if absent. */
/** Someone edits a live stack's parameters or turns termination protection on or off, outside the controller. */
export function editStackOutOfBand(world: World, nameGlob: string, edit: { parameters?: Record<string, string>; terminationProtection?: boolean }): boolean {
  const stack = [...world.stacks.values()].find((s) => isLive(s) && globMatch(nameGlob, s.name));
  if (!stack) return false;
  if (edit.parameters) {
    stack.parameters = { ...stack.parameters, ...edit.parameters };
    stack.lastUpdatedAt = (worldClocks.get(world) ?? { now: () => Date.now() }).now();
  }
  if (edit.terminationProtection !== undefined) stack.terminationProtection = edit.terminationProtection;
  return true;
}

export function deleteStackOutOfBand(world: World, name: string): boolean {
  const stack = findLive(world, name);
  if (!stack) return false;
  cancel(stack);
  removeStackResources(world, stack);
  stack.status = 'DELETE_COMPLETE';
  stack.statusReason = '';
  stack.deletedAt = (worldClocks.get(world) ?? { now: () => Date.now() }).now();
  return true;
}
