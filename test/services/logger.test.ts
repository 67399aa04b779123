// The logging convention (docs/architecture.md, "Logs"), checked over the source so that it cannot drift.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../services/logger.ts';
import { REPO_ROOT } from '../helpers/fixtures.ts';

const sources = execFileSync('git', ['ls-files', 'main.ts', 'machines', 'services', 'server', 'storage', 'tools'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\n').filter((f) => f.endsWith('.ts'));

describe('logging convention', () => {
  it('every literal `event` field is kebab-case', () => {
    const offenders: string[] = [];
    for (const file of sources) {
      const text = fs.readFileSync(`${REPO_ROOT}/${file}`, 'utf8');
      for (const m of text.matchAll(/\bevent: '([^']*)'/g)) {
        if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(m[1]!)) offenders.push(`${file}: ${m[1]}`);
      }
    }
    expect(sources.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });

  it('errors go in `err`, never `error`', () => {
    const offenders = sources.filter((file) => /\berror: describeError\(|logger\.\w+\(\{[^}]*\berror:/.test(fs.readFileSync(`${REPO_ROOT}/${file}`, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('a child logger with a component writes each key once', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, cb) => { lines.push(String(chunk)); cb(); } });
    const logger = createLogger({ debug: false, quiet: false }, sink as never).child({ component: 'kubernetes' });
    logger.info({ event: 'cache-synced', ingress: 'default/a' }, 'synced');
    expect(lines).toHaveLength(1);
    const keys = [...lines[0]!.matchAll(/"([^"]+)":/g)].map((m) => m[1]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(JSON.parse(lines[0]!)).toMatchObject({ name: 'kube-ingress-aws-controller', component: 'kubernetes', event: 'cache-synced' });
  });
});
