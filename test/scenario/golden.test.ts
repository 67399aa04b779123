// Golden scenarios: every rule of the upstream contract as a scenario with the result it must give
// (test/scenarios/<topic>/<case>/{scenario.yaml,expected.json}). GOLDEN_FILTER=<substring> runs a subset.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareToExpected, type Expected } from './expected.ts';
import { loadScenarioFile } from './scenario-file.ts';
import { runScenario } from './runner.ts';

const root = path.resolve(import.meta.dirname, '../scenarios');
const filter = process.env.GOLDEN_FILTER ?? '';

function findCases(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  if (entries.some((e) => e.name === 'scenario.yaml')) return [dir];
  return entries.filter((e) => e.isDirectory()).flatMap((e) => findCases(path.join(dir, e.name)));
}

const cases = findCases(root).filter((d) => path.relative(root, d).includes(filter));

describe('golden scenarios', () => {
  for (const dir of cases) {
    it(path.relative(root, dir), async () => {
      const result = await runScenario(loadScenarioFile(path.join(dir, 'scenario.yaml')));
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      expect(compareToExpected(result, expected)).toEqual([]);
    }, 60_000);
  }
  it('has cases', () => {
    expect(filter !== '' || cases.length > 0).toBe(true);
  });
});
