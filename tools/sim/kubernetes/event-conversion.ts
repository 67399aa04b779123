// kube-apiserver keeps one Event store and serves it as core/v1 and as events.k8s.io/v1, renaming fields on the
// way. The simulator does the same so that a test listing `Event` sees what the controller wrote through
// either API.
import type { JsonObject } from './json.ts';

// events.k8s.io/v1 field → core/v1 field.
const renames: readonly (readonly [string, string])[] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

function rename(obj: JsonObject, pairs: readonly (readonly [string, string])[]): JsonObject {
  const out: JsonObject = {};
  const map = new Map(pairs);
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    out[map.get(key) ?? key] = value;
  }
  return out;
}

export function eventsV1ToCore(obj: JsonObject): JsonObject {
  const out = rename(obj, renames);
  out.apiVersion = 'v1';
  out.kind = 'Event';
  return out;
}

export function coreToEventsV1(obj: JsonObject): JsonObject {
  const out = rename(obj, renames.map(([a, b]) => [b, a] as const));
  out.apiVersion = 'events.k8s.io/v1';
  out.kind = 'Event';
  return out;
}
