// The only code that calls CloudFormation. Each operation is idempotent (see StackOperations) and translates
// AWS's answers into outcomes: done, no change, busy (wait), throttled (wait) or a typed failure.
import {
  ContinueUpdateRollbackCommand, CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, GetTemplateCommand, paginateDescribeStacks,
  UpdateStackCommand, UpdateTerminationProtectionCommand, type CloudFormationClient, type Stack,
} from '@aws-sdk/client-cloudformation';
import { awsErrorCode, awsErrorMessage, isThrottling } from './errors.ts';
import type { StackScan } from './observation.ts';
import {
  StackBusyError, StackOperationError, ThrottledError, type StackDocumentLike, type StackObservation,
  type StackOperations, type UpdateOutcome,
} from './stack-operations.ts';

export interface CloudFormationExecutorOptions {
  /** --creation-timeout in whole minutes (truncated, as upstream). */
  readonly creationTimeoutMinutes: number;
  /** --stack-termination-protection */
  readonly terminationProtection: boolean;
  /** Detaches the stack's target groups from the Auto Scaling groups before deletion. */
  readonly detachTargetGroups?: (targetGroupARNs: readonly string[]) => Promise<void>;
  /** Called before every mutating call (plan mode's guard throws here). */
  readonly onMutation?: (operation: string, stackName: string) => void;
  /** Called after a mutating call that changed something (metrics): not for "no updates", not for re-runs. */
  readonly onMutated?: (operation: 'CreateStack' | 'UpdateStack' | 'DeleteStack', stackName: string) => void;
}

const NO_UPDATES = 'No updates are to be performed.';

const toParameters = (record: Readonly<Record<string, string>>) =>
  Object.keys(record).sort().map((key) => ({ ParameterKey: key, ParameterValue: record[key] }));
const toTags = (record: Readonly<Record<string, string>>) =>
  Object.keys(record).sort().map((key) => ({ Key: key, Value: record[key] }));

export function stackObservation(s: Stack): StackObservation {
  const record = <T>(items: T[] | undefined, key: (t: T) => string | undefined, value: (t: T) => string | undefined) => {
    const out: Record<string, string> = {};
    for (const i of items ?? []) {
      const k = key(i);
      if (k !== undefined) out[k] = value(i) ?? '';
    }
    return out;
  };
  return {
    name: s.StackName ?? '',
    stackId: s.StackId ?? '',
    status: s.StackStatus ?? '',
    statusReason: s.StackStatusReason ?? '',
    outputs: record(s.Outputs, (o) => o.OutputKey, (o) => o.OutputValue),
    parameters: record(s.Parameters, (p) => p.ParameterKey, (p) => p.ParameterValue),
    tags: record(s.Tags, (t) => t.Key, (t) => t.Value),
    createdAt: s.CreationTime?.getTime(),
    lastUpdatedAt: s.LastUpdatedTime?.getTime(),
    terminationProtection: s.EnableTerminationProtection ?? false,
  };
}

const isMissingStack = (err: unknown) => awsErrorCode(err) === 'ValidationError' && /does not exist/.test(awsErrorMessage(err));

export class CloudFormationExecutor implements StackOperations {
  constructor(private readonly client: CloudFormationClient, private readonly options: CloudFormationExecutorOptions) {}

  async create(name: string, document: StackDocumentLike): Promise<void> {
    this.options.onMutation?.('CreateStack', name);
    try {
      await this.client.send(new CreateStackCommand({
        StackName: name,
        TemplateBody: document.templateBody,
        Parameters: toParameters(document.parameters),
        Tags: toTags(document.tags),
        OnFailure: 'DELETE',
        TimeoutInMinutes: this.options.creationTimeoutMinutes,
        EnableTerminationProtection: this.options.terminationProtection,
      }));
      this.options.onMutated?.('CreateStack', name);
    } catch (err) {
      // Re-run after a restore, or a retry whose first attempt succeeded: the stack is ours, wait for it. A stack of
      // that name still being deleted (a failed create rolling away) is a wait, not a success.
      if (awsErrorCode(err) === 'AlreadyExistsException') {
        const existing = await this.describe(name);
        if (existing && existing.status.startsWith('DELETE_')) throw new StackBusyError(name, existing.status);
        return;
      }
      throw this.translate('CreateStack', name, err);
    }
  }

  async update(name: string, document: StackDocumentLike): Promise<UpdateOutcome> {
    try {
      if (this.options.terminationProtection) {
        this.options.onMutation?.('UpdateTerminationProtection', name);
        await this.client.send(new UpdateTerminationProtectionCommand({ StackName: name, EnableTerminationProtection: true }));
      }
      this.options.onMutation?.('UpdateStack', name);
      await this.client.send(new UpdateStackCommand({
        StackName: name,
        TemplateBody: document.templateBody,
        Parameters: toParameters(document.parameters),
        Tags: toTags(document.tags),
      }));
      this.options.onMutated?.('UpdateStack', name);
      return 'started';
    } catch (err) {
      if (awsErrorCode(err) === 'ValidationError' && awsErrorMessage(err).includes(NO_UPDATES)) return 'no-change';
      throw this.translate('UpdateStack', name, err);
    }
  }

  async delete(name: string, targetGroupARNs: readonly string[]): Promise<void> {
    try {
      if (targetGroupARNs.length > 0 && this.options.detachTargetGroups) await this.options.detachTargetGroups(targetGroupARNs);
      this.options.onMutation?.('UpdateTerminationProtection', name);
      try {
        await this.client.send(new UpdateTerminationProtectionCommand({ StackName: name, EnableTerminationProtection: false }));
      } catch (err) {
        if (isMissingStack(err)) return;
        throw err;
      }
      this.options.onMutation?.('DeleteStack', name);
      await this.client.send(new DeleteStackCommand({ StackName: name }));
      this.options.onMutated?.('DeleteStack', name);
    } catch (err) {
      throw this.translate('DeleteStack', name, err);
    }
  }

  async continueUpdateRollback(name: string): Promise<void> {
    this.options.onMutation?.('ContinueUpdateRollback', name);
    try {
      await this.client.send(new ContinueUpdateRollbackCommand({ StackName: name }));
    } catch (err) {
      // Re-run after a restore: the rollback is already continuing (or done), which is what was asked.
      if (awsErrorCode(err) === 'ValidationError' && /UPDATE_ROLLBACK_FAILED/.test(awsErrorMessage(err))) return;
      throw this.translate('ContinueUpdateRollback', name, err);
    }
  }

  async describe(name: string): Promise<StackObservation | undefined> {
    try {
      const out = await this.client.send(new DescribeStacksCommand({ StackName: name }));
      const stack = out.Stacks?.[0];
      if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
      return stackObservation(stack);
    } catch (err) {
      if (isMissingStack(err)) return undefined;
      throw this.translate('DescribeStacks', name, err);
    }
  }

  async getTemplate(name: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(new GetTemplateCommand({ StackName: name }));
      return out.TemplateBody;
    } catch (err) {
      if (isMissingStack(err)) return undefined;
      throw this.translate('GetTemplate', name, err);
    }
  }

  /** Every stack in the region that is not DELETE_COMPLETE, with the number of pages it took. */
  async scanStacks(): Promise<StackScan> {
    const stacks: StackObservation[] = [];
    let pages = 0;
    try {
      for await (const page of paginateDescribeStacks({ client: this.client }, {})) {
        pages++;
        for (const s of page.Stacks ?? []) if (s.StackStatus !== 'DELETE_COMPLETE') stacks.push(stackObservation(s));
      }
    } catch (err) {
      throw this.translate('DescribeStacks', '*', err);
    }
    return { stacks, pages };
  }

  private translate(operation: string, name: string, err: unknown): Error {
    if (isThrottling(err)) return new ThrottledError(operation, err);
    const message = awsErrorMessage(err);
    const busy = /is in (\w+_IN_PROGRESS) state/.exec(message);
    if (busy) return new StackBusyError(name, busy[1]!);
    return new StackOperationError(operation, name, awsErrorCode(err), message);
  }
}
