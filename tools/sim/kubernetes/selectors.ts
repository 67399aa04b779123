// Label and field selectors with kube-apiserver's grammar: equality (`=`, `==`, `!=`), set-based (`in`,
// `notin`), existence (`key`, `!key`) and the numeric `>`/`<` that labels.Parse also accepts. A selector that
// does not parse is a 400, as on a real cluster.
import { badRequest } from './errors.ts';
import { isObject, pathValue } from './json.ts';

type Requirement =
  | { op: 'exists' | 'notexists'; key: string }
  | { op: 'in' | 'notin'; key: string; values: ReadonlySet<string> }
  | { op: 'gt' | 'lt'; key: string; value: number };

export type Matcher = (obj: unknown) => boolean;

const KEY = String.raw`[A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const existsRe = new RegExp(`^(!?)\\s*(${KEY})$`);
const setRe = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`);
const equalityRe = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const compareRe = new RegExp(`^(${KEY})\\s*([<>])\\s*(-?\\d+)$`);
const valueRe = new RegExp(`^${VALUE}$`);

/** Splits on commas that are not inside `( … )`. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts.map((p) => p.trim());
}

function parseRequirement(text: string, whole: string): Requirement {
  const fail = () => badRequest(`unable to parse requirement: invalid label selector "${whole}"`);
  let m = setRe.exec(text);
  if (m) {
    const values = m[3]!.split(',').map((v) => v.trim());
    if (values.some((v) => !valueRe.test(v))) throw fail();
    return { op: m[2] as 'in' | 'notin', key: m[1]!, values: new Set(values) };
  }
  m = equalityRe.exec(text);
  if (m) {
    const values = new Set([m[3]!]);
    return { op: m[2] === '!=' ? 'notin' : 'in', key: m[1]!, values };
  }
  m = compareRe.exec(text);
  if (m) return { op: m[2] === '>' ? 'gt' : 'lt', key: m[1]!, value: Number(m[3]) };
  m = existsRe.exec(text);
  if (m) return { op: m[1] ? 'notexists' : 'exists', key: m[2]! };
  throw fail();
}

function matches(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = labels[req.key];
  switch (req.op) {
    case 'exists': return has;
    case 'notexists': return !has;
    case 'in': return has && req.values.has(value ?? '');
    case 'notin': return !has || !req.values.has(value ?? '');
    case 'gt': return has && /^-?\d+$/.test(value ?? '') && Number(value) > req.value;
    case 'lt': return has && /^-?\d+$/.test(value ?? '') && Number(value) < req.value;
  }
}

function labelsOf(obj: unknown): Record<string, string> {
  const meta = isObject(obj) ? obj.metadata : undefined;
  const labels = isObject(meta) ? meta.labels : undefined;
  return isObject(labels) ? (labels as Record<string, string>) : {};
}

export function parseLabelSelector(selector: string | null | undefined): Matcher {
  if (!selector || !selector.trim()) return () => true;
  const reqs = splitTopLevel(selector).map((p) => parseRequirement(p, selector));
  return (obj) => {
    const labels = labelsOf(obj);
    return reqs.every((r) => matches(r, labels));
  };
}

/**
 * Field selectors compare a dotted path's string form. kube-apiserver allows only a few fields per type;
 * the simulator accepts any path, which is enough for `metadata.name`, `spec.nodeName`, `status.phase`.
 */
export function parseFieldSelector(selector: string | null | undefined): Matcher {
  if (!selector || !selector.trim()) return () => true;
  const reqs = splitTopLevel(selector).map((part) => {
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    return { path: m[1]!, negate: m[2] === '!=', value: m[3]!.trim() };
  });
  return (obj) =>
    reqs.every((r) => {
      const v = pathValue(obj, r.path);
      const s = v === undefined || v === null ? '' : String(v);
      return (s === r.value) !== r.negate;
    });
}
