// deploy/iam-policy.json against what the controller really does: every golden scenario runs once (the real
// controller and SDK clients against the simulated AWS, whose call log records every action), and
// - each action the controller called is in the policy's "Controller" statement,
// - each action of that statement was called by some run (no permission kept "just in case"),
// - each resource type in the templates the runs submitted has its CloudFormation handler actions in the
//   "CloudFormationOnBehalf*" statements, and those statements hold nothing the table below does not justify.
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CniTargetSynchronizer } from '../../services/aws/targets/cni-target-sync.ts';
import { loadScenarioFile } from '../../tools/scenario/scenario-file.ts';
import { runScenario, type ScenarioResult } from '../../tools/scenario/runner.ts';
import { fixturePath } from '../helpers/fixtures.ts';
import { clusterWorld, OURS, start, tgArn, TG1, TG2, TG_IP } from '../services/aws/targets/helpers.ts';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}

const policy = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../deploy/iam-policy.json'), 'utf8')) as {
  Version: string;
  Statement: Statement[];
};
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const controllerActions = new Set(policy.Statement.filter((s) => s.Sid === 'Controller').flatMap(actionsOf));
const onBehalfActions = new Set(policy.Statement.filter((s) => s.Sid.startsWith('CloudFormationOnBehalf')).flatMap(actionsOf));
const allActions = new Set([...controllerActions, ...onBehalfActions]);

/**
 * What CloudFormation calls, with the caller's credentials (no service role), to create, update and delete
 * each resource type our templates use: the handler permissions of the resource types' registry schemas, for
 * the properties we set. Stack tags propagate to every taggable resource, hence the tagging actions.
 */
const RESOURCE_ACTIONS: Readonly<Record<string, { create: string[]; update: string[]; delete: string[] }>> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    create: [
      'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:AddTags',
      'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
      // The first load balancer of an account creates ELB's service-linked role.
      'iam:CreateServiceLinkedRole',
    ],
    update: [
      'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:SetSecurityGroups',
      'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags',
      'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
    ],
    delete: ['elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DescribeLoadBalancers'],
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    create: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:DescribeListenerAttributes'],
    update: ['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:DescribeListenerAttributes'],
    delete: ['elasticloadbalancing:DeleteListener', 'elasticloadbalancing:DescribeListeners'],
  },
  'AWS::ElasticLoadBalancingV2::ListenerRule': {
    create: ['elasticloadbalancing:CreateRule', 'elasticloadbalancing:DescribeRules'],
    update: ['elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities', 'elasticloadbalancing:DescribeRules'],
    delete: ['elasticloadbalancing:DeleteRule', 'elasticloadbalancing:DescribeRules'],
  },
  'AWS::ElasticLoadBalancingV2::ListenerCertificate': {
    create: ['elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:DescribeListenerCertificates'],
    // Any change replaces it: a new resource is created and the old one deleted.
    update: ['elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:DescribeListenerCertificates'],
    delete: ['elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:DescribeListenerCertificates'],
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    create: [
      'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:AddTags',
      'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetGroupAttributes',
    ],
    update: [
      'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:DescribeTags',
    ],
    delete: ['elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:DescribeTargetGroups'],
  },
  'AWS::WAFRegional::WebACLAssociation': {
    // Associating a web ACL with an ALB also needs SetWebACL on the load balancer.
    create: ['waf-regional:AssociateWebACL', 'waf-regional:GetWebACLForResource', 'elasticloadbalancing:SetWebACL'],
    update: ['waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL', 'waf-regional:GetWebACLForResource', 'elasticloadbalancing:SetWebACL'],
    delete: ['waf-regional:DisassociateWebACL', 'waf-regional:GetWebACLForResource', 'elasticloadbalancing:SetWebACL'],
  },
  'AWS::WAFv2::WebACLAssociation': {
    create: ['wafv2:AssociateWebACL', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'elasticloadbalancing:SetWebACL'],
    update: ['wafv2:AssociateWebACL', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'elasticloadbalancing:SetWebACL'],
    delete: ['wafv2:DisassociateWebACL', 'wafv2:GetWebACLForResource', 'elasticloadbalancing:SetWebACL'],
  },
  'AWS::CloudWatch::Alarm': {
    create: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource'],
    update: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
    delete: ['cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms'],
  },
};

// The golden test's walk (importing it would register its tests here too).
function findScenarioDirs(dir: string): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  if (entries.some((e) => e.name === 'scenario.yaml')) return [dir];
  return entries.filter((e) => e.isDirectory()).flatMap((e) => findScenarioDirs(path.join(dir, e.name)));
}

const root = fixturePath('scenarios');
const cases = findScenarioDirs(root);
const called = new Set<string>();
const resourceTypes = new Set<string>();
const failedRuns: string[] = [];

function record(result: Pick<ScenarioResult, 'calls' | 'readCalls' | 'stacks'>): void {
  for (const c of result.calls) if (c.service !== 'kubernetes') called.add(`${c.service}:${c.action}`);
  for (const key of Object.keys(result.readCalls)) called.add(key);
  const templates: unknown[] = result.stacks.map((s) => s.template);
  for (const c of result.calls) {
    const body = (c.input as { TemplateBody?: unknown } | undefined)?.TemplateBody;
    if (typeof body === 'string') templates.push(JSON.parse(body));
  }
  for (const t of templates) {
    const resources = (t as { Resources?: Record<string, { Type?: string }> } | null)?.Resources ?? {};
    for (const r of Object.values(resources)) if (r.Type) resourceTypes.add(r.Type);
  }
}

// Same overlap as the golden test (5 runs at a time: most of a run waits on loopback HTTP and real-time ticks).
describe.concurrent('every golden scenario, recorded', () => {
  for (const dir of cases) {
    it(path.relative(root, dir), async () => {
      try {
        record(await runScenario(loadScenarioFile(path.join(dir, 'scenario.yaml'))));
      } catch (err) {
        failedRuns.push(path.relative(root, dir));
        throw err;
      }
    }, 120_000);
  }
});

// Calls the goldens may not reach, made here by the controller's own components with the real SDK clients against
// the simulation: AWS CNI registration (so the check holds whether or not the cycle's goldens exercise it), and
// the HostPort cleanup of an Auto Scaling group that still holds a target group of ours (no golden world has one).
describe('flows no golden covers', () => {
  it('HostPort target sync with a stale target group of ours (DescribeTags, DetachLoadBalancerTargetGroups)', async () => {
    const fx = await start();
    try {
      const summary = await fx.sync.sync([TG1, TG2]);
      for (const c of fx.sim.server.calls) called.add(`${c.service}:${c.action}`);
      expect(summary.problems).toEqual([]);
      expect(fx.calls('DetachLoadBalancerTargetGroups')).toHaveLength(1);
    } finally {
      await fx.close();
    }
  });

  it('AWS CNI target registration (DescribeTargetHealth, RegisterTargets, DeregisterTargets)', async () => {
    const tg2 = tgArn('tg-ours-ip2');
    const world = clusterWorld();
    const fx = await start({ ...world, targetGroups: [...(world.targetGroups ?? []), { arn: tg2, targetType: 'ip', tags: OURS }] });
    try {
      const cni = new CniTargetSynchronizer({ elbv2: fx.clients.elbv2, logger: pino({ level: 'silent' }) });
      await cni.sync([TG_IP, tg2], ['10.0.0.1', '10.0.0.2']);
      await cni.sync([TG_IP, tg2], ['10.0.0.2']);
      for (const c of fx.sim.server.calls) called.add(`${c.service}:${c.action}`);
      expect(fx.targetsOf(TG_IP)).toEqual(['10.0.0.2']);
    } finally {
      await fx.close();
    }
  });
});

describe('deploy/iam-policy.json', () => {
  it('is a policy document whose statements allow, each with a Sid', () => {
    expect(policy.Version).toBe('2012-10-17');
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow');
      expect(s.Sid).toMatch(/^(Controller|CloudFormationOnBehalf[A-Za-z]*)$/);
      for (const a of actionsOf(s)) expect(a).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/);
    }
    // Only the service-linked role statement has a condition, and it names ELB's service.
    const conditioned = policy.Statement.filter((s) => s.Condition !== undefined);
    expect(conditioned.map((s) => actionsOf(s))).toEqual([['iam:CreateServiceLinkedRole']]);
    expect(JSON.stringify(conditioned[0]!.Condition)).toContain('elasticloadbalancing.amazonaws.com');
  });

  it('allows every action the controller called (Controller statement)', () => {
    expect(failedRuns).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect([...called].filter((a) => !controllerActions.has(a)).sort()).toEqual([]);
  });

  it('allows nothing in the Controller statement that no run called', () => {
    expect([...controllerActions].filter((a) => !called.has(a)).sort()).toEqual([]);
  });

  it('knows every resource type of the submitted templates', () => {
    expect(resourceTypes.size).toBeGreaterThan(0);
    expect([...resourceTypes].filter((t) => RESOURCE_ACTIONS[t] === undefined).sort()).toEqual([]);
    // The goldens cover every type of the table (WAF, alarms, rules, listener certificates included).
    expect(Object.keys(RESOURCE_ACTIONS).filter((t) => !resourceTypes.has(t)).sort()).toEqual([]);
  });

  it('allows what CloudFormation calls on our behalf to create, update and delete those resources', () => {
    const missing: string[] = [];
    for (const type of resourceTypes) {
      const needs = RESOURCE_ACTIONS[type];
      if (!needs) continue;
      for (const [op, actions] of Object.entries(needs)) {
        for (const a of actions) if (!allActions.has(a)) missing.push(`${type} ${op}: ${a}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('holds nothing in the CloudFormationOnBehalf statements that the resource table does not need', () => {
    const needed = new Set(Object.values(RESOURCE_ACTIONS).flatMap((n) => [...n.create, ...n.update, ...n.delete]));
    expect([...onBehalfActions].filter((a) => !needed.has(a)).sort()).toEqual([]);
    // The controller's own statement is not repeated there.
    expect([...onBehalfActions].filter((a) => controllerActions.has(a)).sort()).toEqual([]);
  });
});
