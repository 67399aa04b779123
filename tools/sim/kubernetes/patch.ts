// PATCH bodies as kube-apiserver understands them. Strategic merge patch is applied as a JSON merge patch:
// the difference only shows for lists of objects with a merge key (e.g. a Pod's containers), which the
// controller never patches, so the simplification cannot hide a controller bug that matters here.
import { ApiError, badRequest, unsupportedMediaType } from './errors.ts';
import { clone, deepEqual, isObject } from './json.ts';

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** RFC 7386: objects merge key by key, `null` deletes, anything else (arrays included) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

// JSON patch failures that come from the document (not the patch's syntax) are 422s in kube-apiserver.
function unprocessable(message: string): ApiError {
  return new ApiError(422, message, 'Invalid');
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer "${pointer}"`);
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

/** Walks to the parent of the pointer's last token. */
function parentOf(doc: unknown, tokens: string[], pointer: string): { parent: Container; key: string } {
  let current: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[arrayIndex(current, token, pointer, false)];
    else if (isObject(current) && Object.prototype.hasOwnProperty.call(current, token)) current = current[token];
    else throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  }
  if (!Array.isArray(current) && !isObject(current)) {
    throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  }
  return { parent: current, key: tokens[tokens.length - 1]! };
}

function arrayIndex(arr: unknown[], token: string, pointer: string, forInsert: boolean): number {
  if (forInsert && token === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw unprocessable(`invalid array index "${token}" in "${pointer}"`);
  const i = Number(token);
  if (i > arr.length || (!forInsert && i === arr.length)) {
    throw unprocessable(`index out of bounds in "${pointer}"`);
  }
  return i;
}

function getAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, key, pointer, false)];
  if (!Object.prototype.hasOwnProperty.call(parent, key)) {
    throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  }
  return parent[key];
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw unprocessable('cannot remove the whole document');
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, pointer, false), 1)[0];
  if (!Object.prototype.hasOwnProperty.call(parent, key)) {
    throw unprocessable(`unable to remove nonexistent key: ${key}: missing value`);
  }
  const old = parent[key];
  delete parent[key];
  return old;
}

/** Returns the new document (a changed root replaces the whole thing). */
function addAt(doc: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, key, pointer, !replace);
    parent.splice(i, replace ? 1 : 0, value);
  } else {
    if (replace && !Object.prototype.hasOwnProperty.call(parent, key)) {
      throw unprocessable(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
    }
    parent[key] = value;
  }
  return doc;
}

/** RFC 6902 over a copy of `doc`: add, remove, replace, move, copy, test. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations');
  let result = clone(doc);
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw badRequest(`invalid json patch operation: ${JSON.stringify(op)}`);
    }
    const needsValue = op.op === 'add' || op.op === 'replace' || op.op === 'test';
    if (needsValue && !('value' in op)) throw badRequest(`json patch operation "${op.op}" requires a value`);
    switch (op.op) {
      case 'add':
        result = addAt(result, op.path, clone(op.value), false);
        break;
      case 'replace':
        result = addAt(result, op.path, clone(op.value), true);
        break;
      case 'remove':
        removeAt(result, op.path);
        break;
      case 'move':
      case 'copy': {
        if (typeof op.from !== 'string') throw badRequest(`json patch operation "${op.op}" requires from`);
        const value = op.op === 'move' ? removeAt(result, op.from) : clone(getAt(result, op.from));
        result = addAt(result, op.path, value, false);
        break;
      }
      case 'test':
        if (!deepEqual(getAt(result, op.path), op.value)) {
          throw unprocessable(`testing value ${op.path} failed: test failed`);
        }
        break;
      default:
        throw badRequest(`unexpected json patch operation "${op.op}"`);
    }
  }
  return result;
}

export interface PatchOptions {
  /** Custom resources refuse strategic merge patch, exactly like kube-apiserver. */
  strategicAllowed: boolean;
}

/** Applies a PATCH body of the given media type to `current`; the result still needs validating. */
export function applyPatch(current: unknown, contentType: string | undefined, body: unknown, options: PatchOptions): unknown {
  const accepted = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH, ...(options.strategicAllowed ? [STRATEGIC_MERGE_PATCH] : [])];
  switch (contentType) {
    case JSON_PATCH:
      return jsonPatch(current, body);
    case MERGE_PATCH:
      return mergePatch(current, body);
    case STRATEGIC_MERGE_PATCH:
      if (options.strategicAllowed) return mergePatch(current, body);
      break;
  }
  // Server-side apply is advertised by kube-apiserver but not simulated.
  throw unsupportedMediaType(contentType, accepted.filter((t) => t !== APPLY_PATCH));
}
