// Fencing for leader election: every mutating AWS call checks, before it is signed or sent, that this replica
// still leads. A leader whose Lease renewals fail loses `isLeader` at the renew deadline, before the Lease can
// expire and another replica take over, so two replicas never mutate at once. Reads stay allowed (a standby
// keeps its observation warm). The refusal is an expected wait (errors.ts), never a failed stack.
import type { AwsClients } from './clients.ts';

export class NotLeaderError extends Error {
  constructor(readonly command: string) {
    super(`${command} not sent: this replica is not the leader`);
    this.name = 'NotLeader';
  }
}

const READ = /^(Describe|List|Get)[A-Z]/;

interface FencedClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string; priority: 'high' },
    ): void;
  };
}

export function fenceMutations(clients: AwsClients, isLeader: () => boolean): void {
  for (const client of [clients.cloudformation, clients.ec2, clients.elbv2, clients.autoscaling, clients.acm, clients.iam]) {
    (client as unknown as FencedClient).middlewareStack.add(
      (next, context) => (args) => {
        const command = (context.commandName ?? '').replace(/Command$/, '');
        if (!READ.test(command) && !isLeader()) return Promise.reject(new NotLeaderError(command));
        return next(args);
      },
      { step: 'initialize', name: 'leaderFence', priority: 'high' },
    );
  }
}
