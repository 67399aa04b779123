// The cluster's EC2 nodes as DescribeInstances returns them for the node filters. Every state is kept: the
// instance count gauge includes stopped nodes, as upstream's does; only running ones are ever registered.
import { paginateDescribeInstances, type EC2Client, type Filter, type Instance } from '@aws-sdk/client-ec2';
import { AUTO_SCALING_GROUP_NAME_TAG } from './tags.ts';

export interface NodeInstance {
  readonly id: string;
  readonly running: boolean;
  /** undefined (tag missing or empty) makes this a single instance, registered by the controller itself. */
  readonly autoScalingGroupName: string | undefined;
}

// The low byte of the state code is the state; the high byte is reserved (EC2 API reference, InstanceState).
const RUNNING_STATE_CODE = 16;

export async function describeNodeInstances(ec2: EC2Client, filters: Filter[]): Promise<NodeInstance[]> {
  const byId = new Map<string, NodeInstance>();
  // No page size: EC2 then answers everything it can in one response and the paginator follows NextToken.
  for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters: filters })) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId) byId.set(instance.InstanceId, toNode(instance.InstanceId, instance));
      }
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function toNode(id: string, instance: Instance): NodeInstance {
  const code = instance.State?.Code;
  const running = code !== undefined ? (code & 0xff) === RUNNING_STATE_CODE : instance.State?.Name === 'running';
  const group = instance.Tags?.find((t) => t.Key === AUTO_SCALING_GROUP_NAME_TAG)?.Value;
  return { id, running, autoScalingGroupName: group ? group : undefined };
}
