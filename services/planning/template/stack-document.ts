// The single entry point of templating: everything CreateStack/UpdateStack needs for one load balancer.
import type { Config } from '../../config/config.ts';
import type { LoadBalancerSpec } from '../types/load-balancer.ts';
import { alarmConfigHash, type CloudWatchAlarm } from './cloudwatch-alarms.ts';
import { jsonEqual } from './json-equal.ts';
import { stackParameters } from './parameters.ts';
import { selectSubnets, type SubnetSummary } from './subnets.ts';
import { stackTags } from './tags.ts';
import { buildTemplate, renderTemplate } from './template.ts';
import { templateInputFrom } from './template-input.ts';
import type { CloudFormationTemplate } from './template-types.ts';

export interface StackEnvironment {
  readonly config: Config;
  readonly clusterId: string;
  readonly vpcId: string;
  /** Every subnet discovered in the VPC; the ones for the load balancer's scheme are chosen here. */
  readonly subnets: readonly SubnetSummary[];
  readonly alarms: readonly CloudWatchAlarm[];
}

/** What a stack is made of, as sent to CreateStack / UpdateStack and read back from CloudFormation. */
export interface StackDocumentLike {
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

export interface StackDocument extends StackDocumentLike {
  /** Exactly what upstream would send as TemplateBody. */
  readonly templateBody: string;
  /** The same template as a JSON value (parsed from the text on each read). */
  readonly template: CloudFormationTemplate;
}

export function buildStackDocument(lb: LoadBalancerSpec, env: StackEnvironment): StackDocument {
  const templateBody = renderTemplate(buildTemplate(templateInputFrom(lb, env.config, env.alarms)));
  return {
    templateBody,
    // Parsed again on each read rather than kept: the memo holds a document per load balancer, and the text is
    // what every cycle compares; the value (plan mode, scenario expectations) is read rarely.
    get template(): CloudFormationTemplate {
      return JSON.parse(templateBody) as CloudFormationTemplate;
    },
    parameters: stackParameters(lb, {
      config: env.config,
      vpcId: env.vpcId,
      subnetIds: selectSubnets(env.subnets, lb.scheme, env.clusterId),
    }),
    tags: stackTags(lb, { config: env.config, clusterId: env.clusterId, alarmConfigHash: alarmConfigHash(env.alarms) }),
  };
}

/**
 * Same template (as a JSON value: key order is irrelevant), parameters and tags: nothing for CloudFormation to
 * change. Bodies are compared as text first: in steady state they are identical, so the parse is skipped on the
 * path every cycle takes. A body that is not JSON (a template edited by hand into YAML) never equals a document.
 */
export function documentsEqual(a: StackDocumentLike | undefined, b: StackDocumentLike | undefined): boolean {
  if (!a || !b) return false;
  if (!jsonEqual(a.parameters, b.parameters) || !jsonEqual(a.tags, b.tags)) return false;
  if (a.templateBody === b.templateBody) return true;
  try {
    return jsonEqual(JSON.parse(a.templateBody), JSON.parse(b.templateBody));
  } catch {
    return false;
  }
}

/**
 * Documents remembered from the previous cycle, by everything the template, parameters and tags read from a
 * load balancer. A different environment (configuration, discovery, alarms) starts afresh; entries no load
 * balancer used in a cycle are dropped at the next, so the memo holds one cycle's documents at most.
 */
export class StackDocumentMemo {
  private environment: StackEnvironment | undefined;
  private previous = new Map<string, StackDocument>();
  private current = new Map<string, StackDocument>();

  /** Starts a cycle's lookups against `environment`. */
  begin(environment: StackEnvironment): { documentFor(lb: LoadBalancerSpec): { document: StackDocument; built: boolean } } {
    const same = this.environment !== undefined && sameEnvironment(this.environment, environment);
    this.environment = environment;
    this.previous = same ? this.current : new Map();
    this.current = new Map();
    return {
      documentFor: (lb) => {
        const key = documentKey(lb);
        const known = this.current.get(key) ?? this.previous.get(key);
        const document = known ?? buildStackDocument(lb, environment);
        this.current.set(key, document);
        return { document, built: known === undefined };
      },
    };
  }
}

function sameEnvironment(a: StackEnvironment, b: StackEnvironment): boolean {
  return a.config === b.config && a.clusterId === b.clusterId && a.vpcId === b.vpcId && a.subnets === b.subnets && a.alarms === b.alarms;
}

/** Every field of a load balancer that buildStackDocument reads (the ingresses it serves are not among them). */
function documentKey(lb: LoadBalancerSpec): string {
  return JSON.stringify([
    lb.loadBalancerType, lb.scheme, lb.securityGroup, lb.sslPolicy, lb.ipAddressType, lb.http2, lb.wafWebACLID, lb.owner,
    lb.stack === undefined, Object.entries(lb.certificateARNs),
  ]);
}
