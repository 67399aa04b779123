// The second line of defence: even if plan mode's own code tried to write, the clients it builds refuse.
import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CoreV1Api } from '@kubernetes/client-node';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../../../services/aws/clients.ts';
import { systemClock } from '../../../../services/clock.ts';
import { ReadOnlyViolationError } from '../../../../services/commands/plan/plan-errors.ts';
import { enforceReadOnly, isReadOnlyCommand } from '../../../../services/commands/plan/read-only-aws.ts';
import { readOnlyRequestOptions } from '../../../../services/commands/plan/read-only-cluster.ts';
import { startAwsSim, type AwsSim } from '../../../../tools/sim/aws/index.ts';
import { startKubernetesSim, type KubernetesSim } from '../../../../tools/sim/kubernetes/index.ts';
import { exampleIngress, exampleWorld } from './plan-world.ts';

describe('isReadOnlyCommand', () => {
  it.each([
    ['DescribeStacks', true], ['GetTemplate', true], ['ListCertificates', true], ['GetServerCertificate', true],
    ['DescribeLoadBalancers', true], ['CreateStack', false], ['UpdateStack', false], ['DeleteStack', false],
    ['UpdateTerminationProtection', false], ['AttachLoadBalancerTargetGroups', false], ['DetachLoadBalancerTargetGroups', false],
    ['RegisterTargets', false], ['DeregisterTargets', false], ['Describe', false], ['', false],
  ])('%s -> %s', (command, expected) => {
    expect(isReadOnlyCommand(command)).toBe(expected);
  });
});

describe('read-only AWS clients', () => {
  let aws: AwsSim;
  let clients: AwsClients;
  beforeAll(async () => {
    aws = await startAwsSim({ input: exampleWorld(), clock: systemClock });
    clients = createAwsClients({
      region: aws.world.region, endpoint: aws.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      retryStrategy: new ConfiguredRetryStrategy(1, () => 5),
    });
    enforceReadOnly(clients);
  });
  afterAll(async () => {
    clients.destroy();
    await aws.close();
  });

  it('refuses mutating commands before they are sent, and lets reads through', async () => {
    await expect(clients.cloudformation.send(new CreateStackCommand({ StackName: 'x', TemplateBody: '{}' }))).rejects.toBeInstanceOf(ReadOnlyViolationError);
    await expect(clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: 'arn:x', Targets: [{ Id: 'i-1' }] }))).rejects.toThrow(/refused the mutating AWS call RegisterTargets/);
    await expect(clients.cloudformation.send(new DescribeStacksCommand({}))).resolves.toBeDefined();
    expect(aws.server.calls.map((c) => c.action)).toEqual(['DescribeStacks']);
  });
});

describe('read-only Kubernetes requests', () => {
  let kube: KubernetesSim;
  beforeAll(async () => {
    kube = await startKubernetesSim({ clock: systemClock, objects: [exampleIngress] });
  });
  afterAll(async () => {
    await kube.close();
  });

  it('refuses anything but GET before it is sent', async () => {
    const core = kube.kubeConfig().makeApiClient(CoreV1Api);
    const event = { metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Ingress', name: 'app', namespace: 'default' } };
    await expect(core.createNamespacedEvent({ namespace: 'default', body: event }, readOnlyRequestOptions())).rejects.toBeInstanceOf(ReadOnlyViolationError);
    await expect(core.listNamespace({}, readOnlyRequestOptions())).resolves.toBeDefined();
    expect(kube.writes).toEqual([]);
    expect(kube.list('Event')).toEqual([]);
  });
});
