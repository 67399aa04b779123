// Belt and braces for "plan mode makes no mutating AWS call": plan mode only invokes read operations, and
// every client additionally refuses, before anything is signed or sent, a command that is not a read. The same
// hook notes which command a failure came from, for the one-line error message.
import type { AwsClients } from '../../aws/clients.ts';
import { everyClient, guardCommands, isReadOnlyCommand, type GuardableClient } from '../../aws/command-guard.ts';
import { ReadOnlyViolationError, rememberFailedCommand } from './plan-errors.ts';

export { isReadOnlyCommand };

export function enforceReadOnly(clients: AwsClients): void {
  for (const client of everyClient(clients)) guardClient(client);
}

export function guardClient(client: GuardableClient): void {
  guardCommands(client, 'planModeReadOnly', (command, send) => {
    if (!isReadOnlyCommand(command)) return Promise.reject(new ReadOnlyViolationError('aws', command || '(unnamed command)'));
    return send().catch((err: unknown) => {
      rememberFailedCommand(err, command);
      throw err;
    });
  });
}
