// Fencing for leader election: every mutating AWS call checks, before it is signed or sent, that this replica
// still leads. A leader whose Lease renewals fail loses `isLeader` at the renew deadline, before the Lease can
// expire and another replica take over, so two replicas never mutate at once. Reads stay allowed (a standby
// keeps its observation warm). The refusal is an expected wait (errors.ts), never a failed stack.
import type { AwsClients } from './clients.ts';
import { everyClient, guardCommands, isReadOnlyCommand } from './command-guard.ts';

export class NotLeaderError extends Error {
  constructor(readonly command: string) {
    super(`${command} not sent: this replica is not the leader`);
    this.name = 'NotLeader';
  }
}

export function fenceMutations(clients: AwsClients, isLeader: () => boolean): void {
  for (const client of everyClient(clients)) {
    guardCommands(client, 'leaderFence', (command, send) =>
      (!isReadOnlyCommand(command) && !isLeader() ? Promise.reject(new NotLeaderError(command)) : send()));
  }
}
