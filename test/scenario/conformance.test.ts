// The public conformance examples, run through the scenario runner exactly as `npm run scenario` does.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from './scenario-file.ts';
import { runScenario } from './runner.ts';
import { compareToExpected, type Expected } from './expected.ts';
import { checkProducedTemplates } from './template-checks.ts';
import { loadResourceSpec } from '../helpers/resource-spec.ts';

const root = path.resolve(import.meta.dirname, '../..');
// Our own copies keep the suite independent of ../shared; the shared folder is run too when present.
const dirs = [path.join(root, 'test/fixtures/conformance'), path.resolve(root, '../shared/conformance/public')]
  .filter((d) => fs.existsSync(d));
const cases = dirs.flatMap((d) => fs.readdirSync(d).sort().map((name) => ({ label: `${path.basename(path.dirname(d))}/${name}`, dir: path.join(d, name) })))
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
