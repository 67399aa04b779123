// The public conformance examples, run through the scenario runner exactly as `npm run scenario` does.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../tools/scenario/scenario-file.ts';
import { runScenario } from '../../../tools/scenario/runner.ts';
import { compareToExpected, type Expected } from '../../../tools/scenario/expected.ts';
import { checkProducedTemplates } from './template-checks.ts';
import { loadResourceSpec } from '../../helpers/resource-spec.ts';
import { PUBLIC_CONFORMANCE } from '../../helpers/fixtures.ts';

const cases = fs.readdirSync(PUBLIC_CONFORMANCE).sort().map((name) => ({ label: `public/${name}`, dir: path.join(PUBLIC_CONFORMANCE, name) }))
  .filter((c) => fs.existsSync(path.join(c.dir, 'scenario.yaml')) && fs.existsSync(path.join(c.dir, 'expected.json')));

const spec = loadResourceSpec();

describe.concurrent('conformance scenarios', () => {
  it('finds the public examples', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });
  for (const c of cases) {
    it(c.label, async () => {
      const scenario = loadScenarioFile(path.join(c.dir, 'scenario.yaml'));
      const result = await runScenario(scenario);
      const expected = JSON.parse(fs.readFileSync(path.join(c.dir, 'expected.json'), 'utf8')) as Expected;
      expect(compareToExpected(result, expected)).toEqual([]);
      expect(checkProducedTemplates(result, scenario, await spec)).toEqual([]);
    }, 60_000);
  }
});
