// Golden scenarios: every rule of the upstream contract as a scenario with the result it must give
// (test/fixtures/scenarios/<topic>/<case>/{scenario.yaml,expected.json}), and every template the run produced checked
// against the CloudFormation resource specification. GOLDEN_FILTER=<substring> runs a subset.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadResourceSpec } from '../../helpers/resource-spec.ts';
import { fixturePath } from '../../helpers/fixtures.ts';
import { compareToExpected, type Expected } from '../../../tools/scenario/expected.ts';
import { loadScenarioFile } from '../../../tools/scenario/scenario-file.ts';
import { runScenario } from '../../../tools/scenario/runner.ts';
import { checkProducedTemplates } from './template-checks.ts';

const root = fixturePath('scenarios');
const filter = process.env.GOLDEN_FILTER ?? '';

export function findScenarioDirs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  if (entries.some((e) => e.name === 'scenario.yaml')) return [dir];
  return entries.filter((e) => e.isDirectory()).flatMap((e) => findScenarioDirs(path.join(dir, e.name)));
}

const cases = findScenarioDirs(root).filter((d) => path.relative(root, d).includes(filter));
const spec = loadResourceSpec();

// Much of a run is waiting on loopback HTTP and the runner's real-time ticks, so runs overlap (5 at a time).
describe.concurrent('golden scenarios', () => {
  for (const dir of cases) {
    it(path.relative(root, dir), async () => {
      const scenario = loadScenarioFile(path.join(dir, 'scenario.yaml'));
      const result = await runScenario(scenario);
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      expect(compareToExpected(result, expected)).toEqual([]);
      expect(checkProducedTemplates(result, scenario, await spec)).toEqual([]);
    }, 120_000);
  }
  it('has cases', () => {
    expect(filter !== '' || cases.length >= 100).toBe(true);
  });
});
