// The two templates upstream produced (numeric settings zeroed, TargetType absent, certificate DUMMY) must come
// out byte for byte: this pins serialisation, key order, escaping and every name at once.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_TEMPLATES } from '../../../helpers/fixtures.ts';
import { buildCase, GOLDEN_CASES } from './golden-cases.ts';

describe('upstream reference templates', () => {
  for (const [file, caseName] of [
    ['alb.json', 'reference-alb-zeroed'],
    ['nlb.json', 'reference-nlb-zeroed'],
  ] as const) {
    it(`reproduces ${file} byte for byte`, () => {
      const c = GOLDEN_CASES.find((g) => g.name === caseName)!;
      expect(buildCase(c).templateBody).toBe(readFileSync(path.join(REFERENCE_TEMPLATES, file), 'utf8'));
    });
  }
});
