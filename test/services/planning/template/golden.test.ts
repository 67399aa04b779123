// Golden stack documents, one per template rule (golden-cases.ts). Regenerate with UPDATE_GOLDEN=1 after an
// intended change, and review the diff: every byte of these files reaches CloudFormation.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCase, GOLDEN_CASES } from './golden-cases.ts';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/golden/templates');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function golden(file: string, actual: string): void {
  const path = join(GOLDEN_DIR, file);
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(existsSync(path), `${file} missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('golden stack documents', () => {
  it('has unique case names', () => {
    const names = GOLDEN_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  for (const c of GOLDEN_CASES) {
    it(`${c.name}: ${c.rule}`, () => {
      const doc = buildCase(c);
      c.check(doc);
      // The body must be the template: same JSON value, upstream's text.
      expect(JSON.parse(doc.templateBody)).toEqual(doc.template);
      golden(`${c.name}.template.json`, doc.templateBody);
      golden(`${c.name}.stack.json`, `${JSON.stringify({ parameters: doc.parameters, tags: doc.tags }, null, 2)}\n`);
    });
  }
});
