// Kubernetes label selector syntax (equality- and set-based), parsed at configuration time so a selector the
// API server would reject stops the controller at start-up instead of failing every pod list later.
// Grammar: requirement ("," requirement)*, where a requirement is one of
//   key | !key | key=value | key==value | key!=value | key in (v1,v2) | key notin (v1,v2)

export type LabelRequirement =
  | { readonly key: string; readonly op: 'exists' | 'not-exists' }
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] };

export class LabelSelectorError extends Error {
  constructor(selector: string, reason: string) {
    super(`label selector "${selector}" does not parse: ${reason}`);
    this.name = 'LabelSelectorError';
  }
}

// A qualified name with an optional DNS-subdomain prefix, as Kubernetes label keys are.
const KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Splits on commas outside parentheses. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

function checkKey(selector: string, key: string): string {
  if (!KEY.test(key)) throw new LabelSelectorError(selector, `invalid label key "${key}"`);
  return key;
}

function checkValue(selector: string, value: string): string {
  if (!VALUE.test(value)) throw new LabelSelectorError(selector, `invalid label value "${value}"`);
  return value;
}

export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.trim() === '') return [];
  const out: LabelRequirement[] = [];
  for (const part of splitRequirements(selector)) {
    if (part === '') throw new LabelSelectorError(selector, 'empty requirement');
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (set) {
      const values = set[3]!.split(',').map((v) => checkValue(selector, v.trim()));
      if (values.length === 0 || (values.length === 1 && values[0] === '')) throw new LabelSelectorError(selector, `"${part}" has no values`);
      out.push({ key: checkKey(selector, set[1]!), op: set[2] as 'in' | 'notin', values });
      continue;
    }
    const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (eq) {
      const value = checkValue(selector, eq[3]!.trim());
      out.push({ key: checkKey(selector, eq[1]!), op: eq[2] === '!=' ? 'notin' : 'in', values: [value] });
      continue;
    }
    if (part.startsWith('!')) {
      out.push({ key: checkKey(selector, part.slice(1).trim()), op: 'not-exists' });
      continue;
    }
    out.push({ key: checkKey(selector, part), op: 'exists' });
  }
  return out;
}

export function matchesLabels(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'not-exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
    }
  });
}
