// Belt and braces for "plan mode makes no mutating AWS call": plan mode only invokes read operations, and
// every client additionally refuses, before anything is signed or sent, a command that is not a read. The same
// hook notes which command a failure came from, for the one-line error message.
import type { AwsClients } from '../../aws/clients.ts';
import { ReadOnlyViolationError, rememberFailedCommand } from './plan-errors.ts';

/** Describe*, List*, Get*: the only AWS operations plan mode may send. */
export function isReadOnlyCommand(commandName: string): boolean {
  return /^(Describe|List|Get)[A-Z]/.test(commandName);
}

interface GuardableClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string; priority: 'high' },
    ): void;
  };
}

export function enforceReadOnly(clients: AwsClients): void {
  for (const client of [clients.cloudformation, clients.ec2, clients.elbv2, clients.autoscaling, clients.acm, clients.iam]) {
    guardClient(client as unknown as GuardableClient);
  }
}

export function guardClient(client: GuardableClient): void {
  client.middlewareStack.add(
    (next, context) => (args) => {
      const command = (context.commandName ?? '').replace(/Command$/, '');
      if (!isReadOnlyCommand(command)) return Promise.reject(new ReadOnlyViolationError('aws', command || '(unnamed command)'));
      return next(args).catch((err: unknown) => {
        rememberFailedCommand(err, command);
        throw err;
      });
    },
    { step: 'initialize', name: 'planModeReadOnly', priority: 'high' },
  );
}
