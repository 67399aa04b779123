// The two templates upstream produced (numeric settings zeroed, TargetType absent, certificate DUMMY) must come
// out byte for byte: this pins serialisation, key order, escaping and every name at once.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCase, GOLDEN_CASES } from './golden-cases.ts';

const REFERENCE_DIR = '/work/shared/conformance/reference-templates';

describe('upstream reference templates', () => {
  for (const [file, caseName] of [
    ['alb.json', 'reference-alb-zeroed'],
    ['nlb.json', 'reference-nlb-zeroed'],
  ] as const) {
    it(`reproduces ${file} byte for byte`, () => {
      const c = GOLDEN_CASES.find((g) => g.name === caseName)!;
      expect(buildCase(c).templateBody).toBe(readFileSync(`${REFERENCE_DIR}/${file}`, 'utf8'));
    });
  }
});
