// The real process boundary: flags go through main.ts exactly as an operator types them.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAGS } from '../services/config/flags.ts';

const root = path.resolve(import.meta.dirname, '..');
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });

describe('kube-ingress-aws-controller process', () => {
  it('--help works without --target-access-mode and lists every flag with its default', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const flag of FLAGS) expect(r.stdout).toContain(`--${flag.name}`);
    expect(r.stdout).toMatch(/--polling-interval[\s\S]*30s/);
    expect(r.stdout).toMatch(/--health-check-path[\s\S]*\/kube-system\/healthz/);
  });

  it('--version works without --target-access-mode', () => {
    const r = run('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^kube-ingress-aws-controller /);
  });

  it('a bad flag exits with status 2 and one line naming the flag', () => {
    const r = run('--target-access-mode=HostPort', '--health-check-port=70000');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--health-check-port');
    expect(lines[0]).toContain('70000');
  });

  it('a missing --target-access-mode exits with status 2', () => {
    const r = run('--polling-interval=10s');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--target-access-mode');
  });
});

describe('README', () => {
  it('opens with the two commands and documents every flag', async () => {
    const fs = await import('node:fs');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toContain('npm ci && npm run demo');
    expect(firstBlock).toContain('npm test');
    for (const flag of FLAGS) expect(readme).toContain(`\`--${flag.name}\``);
  });
});
