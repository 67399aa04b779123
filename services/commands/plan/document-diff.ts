// What would change in a stack, in an operator's terms: parameter and tag lines, and the template down to the
// JSON path that differs. The comparison follows documentsEqual (key order irrelevant, array order relevant,
// undefined-valued keys absent), so an empty diff is exactly "the controller would not update this stack".

export interface StackDocumentView {
  /** The template as a JSON value; a string when the live template could not be parsed as JSON. */
  readonly template: unknown;
  readonly parameters: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

export type Change =
  | { readonly kind: 'added'; readonly path: string; readonly after: unknown }
  | { readonly kind: 'removed'; readonly path: string; readonly before: unknown }
  | { readonly kind: 'changed'; readonly path: string; readonly before: unknown; readonly after: unknown };

export interface DocumentDiff {
  /** Keyed by parameter name. */
  readonly parameters: readonly Change[];
  /** Keyed by tag key. */
  readonly tags: readonly Change[];
  /** Keyed by JSON path; resources appear whole, by logical id, when added or removed. */
  readonly template: readonly Change[];
}

export const EMPTY_DOCUMENT: StackDocumentView = { template: {}, parameters: {}, tags: {} };

export function diffDocuments(before: StackDocumentView, after: StackDocumentView): DocumentDiff {
  return {
    parameters: diffRecords(before.parameters, after.parameters),
    tags: diffRecords(before.tags, after.tags),
    template: diffTemplates(before.template, after.template),
  };
}

export function isEmptyDiff(diff: DocumentDiff): boolean {
  return diff.parameters.length === 0 && diff.tags.length === 0 && diff.template.length === 0;
}

export function diffRecords(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): Change[] {
  const changes: Change[] = [];
  for (const key of unionKeys(before, after)) {
    const had = Object.hasOwn(before, key) && before[key] !== undefined;
    const has = Object.hasOwn(after, key) && after[key] !== undefined;
    if (had && !has) changes.push({ kind: 'removed', path: key, before: before[key] });
    else if (!had && has) changes.push({ kind: 'added', path: key, after: after[key] });
    else if (before[key] !== after[key]) changes.push({ kind: 'changed', path: key, before: before[key], after: after[key] });
  }
  return changes;
}

/**
 * Walks both templates in parallel. A template that is not a JSON object (an unparsable live template) is
 * reported as one whole-template change rather than guessed at.
 */
export function diffTemplates(before: unknown, after: unknown): Change[] {
  const changes: Change[] = [];
  if (!isPlainObject(before) || !isPlainObject(after)) {
    if (!jsonSame(before, after)) changes.push({ kind: 'changed', path: '', before, after });
    return changes;
  }
  for (const key of unionKeys(before, after)) {
    // Resources are compared one logical id at a time even when a whole section is missing on one side, so a
    // new template lists its resources rather than one unreadable blob.
    if (key === 'Resources' && isPlainObjectOrAbsent(before[key]) && isPlainObjectOrAbsent(after[key])) {
      diffSection(key, (before[key] ?? {}) as Record<string, unknown>, (after[key] ?? {}) as Record<string, unknown>, changes);
    } else {
      diffValue(appendKey('', key), before[key], after[key], changes);
    }
  }
  return changes;
}

function diffSection(section: string, before: Record<string, unknown>, after: Record<string, unknown>, out: Change[]): void {
  for (const id of unionKeys(before, after)) diffValue(appendKey(section, id), before[id], after[id], out);
}

function diffValue(path: string, before: unknown, after: unknown, out: Change[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    out.push({ kind: 'added', path, after });
    return;
  }
  if (after === undefined) {
    out.push({ kind: 'removed', path, before });
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of unionKeys(before, after)) diffValue(appendKey(path, key), before[key], after[key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    // Index by index: CloudFormation treats order as meaningful, and the lists in these templates are short.
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      diffValue(`${path}[${i}]`, i < before.length ? before[i] : undefined, i < after.length ? after[i] : undefined, out);
    }
    return;
  }
  if (!jsonSame(before, after)) out.push({ kind: 'changed', path, before, after });
}

/** `a.b`, or `a["odd key"]` when the key is not a plain identifier, so every path reads back unambiguously. */
export function appendKey(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function unionKeys(a: object, b: object): string[] {
  const defined = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  return [...new Set([...defined(a), ...defined(b)])].sort(compareCodeUnits);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPlainObjectOrAbsent(v: unknown): boolean {
  return v === undefined || isPlainObject(v);
}

/** Scalars and mismatched shapes only reach here; structure was walked above. */
function jsonSame(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const changes: Change[] = [];
  diffValue('', a, b, changes);
  return changes.length === 0;
}

// ---- text --------------------------------------------------------------------------------------------------

export interface FormatOptions {
  /** Longest rendering of one value before it is cut with an ellipsis. */
  readonly maxValueLength?: number;
  readonly indent?: string;
}

const DEFAULT_MAX_VALUE = 120;

/** One line per change, `+` added, `-` removed, `~` changed; an added or removed resource shows its type. */
export function formatChanges(changes: readonly Change[], options: FormatOptions = {}): string[] {
  const indent = options.indent ?? '';
  const max = options.maxValueLength ?? DEFAULT_MAX_VALUE;
  const show = (v: unknown) => formatValue(v, max);
  return changes.map((c) => {
    const path = c.path === '' ? '(whole template)' : c.path;
    switch (c.kind) {
      case 'added':
        return `${indent}+ ${path}${resourceType(c.path, c.after) ?? `: ${show(c.after)}`}`;
      case 'removed':
        return `${indent}- ${path}${resourceType(c.path, c.before) ?? `: ${show(c.before)}`}`;
      case 'changed':
        return `${indent}~ ${path}: ${show(c.before)} -> ${show(c.after)}`;
    }
  });
}

export function formatDocumentDiff(diff: DocumentDiff, options: FormatOptions = {}): string[] {
  const indent = options.indent ?? '';
  const lines: string[] = [];
  const section = (title: string, changes: readonly Change[]) => {
    if (changes.length === 0) return;
    lines.push(`${indent}${title}:`, ...formatChanges(changes, { ...options, indent: `${indent}  ` }));
  };
  section('parameters', diff.parameters);
  section('tags', diff.tags);
  section('template', diff.template);
  return lines;
}

/** ` (AWS::Type)` for a whole resource (path `Resources.<id>`), undefined for anything else. */
function resourceType(path: string, value: unknown): string | undefined {
  if (!/^Resources(\.[A-Za-z_][A-Za-z0-9_]*|\[".*"\])$/.test(path)) return undefined;
  const type = isPlainObject(value) ? value['Type'] : undefined;
  return typeof type === 'string' ? ` (${type})` : '';
}

export function formatValue(value: unknown, maxLength = DEFAULT_MAX_VALUE): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > maxLength ? `${text.slice(0, Math.max(1, maxLength - 1))}…` : text;
}
