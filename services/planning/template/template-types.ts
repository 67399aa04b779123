// The shape of the CloudFormation template upstream generates. Field order in these objects is the order of the
// JSON text (see go-json.ts), so the builders create them in Go's struct order.
import { sortedDeep, type JsonValue } from './go-json.ts';

export type { JsonValue };

export interface TemplateParameter {
  readonly Type: string;
  readonly Default?: string;
  readonly Description: string;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties: { readonly [key: string]: JsonValue };
}

export interface TemplateOutput {
  readonly Description: string;
  readonly Value: JsonValue;
}

export interface CloudFormationTemplate {
  readonly AWSTemplateFormatVersion: '2010-09-09';
  readonly Description: string;
  readonly Parameters: { readonly [name: string]: TemplateParameter };
  readonly Resources: { readonly [logicalId: string]: TemplateResource };
  readonly Outputs: { readonly [name: string]: TemplateOutput };
}

/** `{"Ref": ...}`, `{"Fn::GetAtt": [...]}`, `{"Fn::Join": [...]}` and the other intrinsic functions. */
export type Intrinsic = { readonly [fn: string]: JsonValue };

export function ref(name: string): Intrinsic {
  return { Ref: name };
}

export function getAtt(logicalId: string, attribute: string): Intrinsic {
  return { 'Fn::GetAtt': [logicalId, attribute] };
}

export function join(separator: string, parts: readonly JsonValue[]): Intrinsic {
  return { 'Fn::Join': [separator, parts] };
}

/** A resource whose properties come out in the vendored Go schema's (alphabetical) field order, nil ones left out. */
export function resource(type: string, properties: object): TemplateResource {
  return { Type: type, Properties: sortedDeep(properties) as TemplateResource['Properties'] };
}
