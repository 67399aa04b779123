// The world of the public conformance examples (one VPC, public and private subnets, an SG, an ASG and an ACM
// certificate for foo.bar.org), shared by the integration tests.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { AwsWorldInput } from '../../tools/sim/aws/world.ts';
import { PUBLIC_CONFORMANCE } from '../helpers/fixtures.ts';

const scenario = YAML.parse(fs.readFileSync(path.join(PUBLIC_CONFORMANCE, '01-alb-basic/scenario.yaml'), 'utf8')) as {
  aws: AwsWorldInput;
  kubernetes: { objects: unknown[] };
  flags: string[];
};

/** The example's flags minus --target-access-mode, which the harness sets. */
export const basicFlags = scenario.flags.filter((f) => !f.startsWith('--target-access-mode'));
// These tests run on the real clock: keep the example's certificate valid whatever today's date is.
export const basicWorld: AwsWorldInput = {
  ...scenario.aws,
  certificates: (scenario.aws.certificates ?? []).map((c) => ({ ...c, notBefore: '2025-01-01T00:00:00Z', notAfter: '2036-01-01T00:00:00Z' })),
};
export const basicIngress = scenario.kubernetes.objects[0] as Record<string, unknown>;

export function ingress(name: string, host: string, annotations: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations },
    spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name, port: { number: 80 } } } }] } }] },
  };
}
