// One hook on every AWS client that sees each command before it is signed or sent: plan mode refuses
// mutations outright, leader election refuses them on a replica that does not lead.
import type { AwsClients } from './clients.ts';

/** Describe*, List*, Get*: reads. */
export function isReadOnlyCommand(commandName: string): boolean {
  return /^(Describe|List|Get)[A-Z]/.test(commandName);
}

export interface GuardableClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string; priority: 'high' },
    ): void;
  };
}

/** Runs `guard(command, next)` around every command of `client` (command without its `Command` suffix). */
export function guardCommands(client: GuardableClient, name: string, guard: (command: string, send: () => Promise<unknown>) => Promise<unknown>): void {
  client.middlewareStack.add(
    (next, context) => (args) => guard((context.commandName ?? '').replace(/Command$/, ''), () => next(args)),
    { step: 'initialize', name, priority: 'high' },
  );
}

export function everyClient(clients: AwsClients): GuardableClient[] {
  return [clients.cloudformation, clients.ec2, clients.elbv2, clients.autoscaling, clients.acm, clients.iam] as unknown as GuardableClient[];
}
