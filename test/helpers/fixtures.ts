// Fixtures come from the repository only. The conformance examples and reference templates are copies of the
// shared conformance set (test/fixtures/conformance/README.md says how to refresh them).
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const FIXTURES = path.join(REPO_ROOT, 'test/fixtures');
export const PUBLIC_CONFORMANCE = path.join(FIXTURES, 'conformance/public');
export const REFERENCE_TEMPLATES = path.join(FIXTURES, 'conformance/reference-templates');

export function fixturePath(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export function readFixture(...parts: string[]): string {
  return fs.readFileSync(fixturePath(...parts), 'utf8');
}
