import { describe, it, expect } from 'vitest';
import { parseRun, HOST_PORT } from './helpers.ts';

function run(args: readonly string[], env: Record<string, string> = {}) {
  return parseRun([HOST_PORT, ...args], env);
}

describe('upstream coercions, kept and reported', () => {
  it.each([
    ['0s', 0, true],
    ['999ms', 0, true],
    ['-1m', 0, true],
    ['4001s', 0, true],
    ['1s', 1_000, false],
    ['4000s', 4_000_000, false],
    ['2m', 120_000, false],
  ])('--idle-connection-timeout=%s becomes %d', (value, expected, warned) => {
    const { config, warnings } = run([`--idle-connection-timeout=${value}`]);
    expect(config.idleConnectionTimeoutMs).toBe(expected);
    expect(warnings.some((w) => w.flag === '--idle-connection-timeout')).toBe(warned);
    if (warned) expect(warnings[0]?.message).toContain('--idle-connection-timeout');
  });

  it.each([
    ['0s', 0, true],
    ['3601s', 0, true],
    ['2h', 0, true],
    ['1s', 1_000, false],
    ['3600s', 3_600_000, false],
    ['30s', 30_000, false],
  ])('--deregistration-delay-timeout=%s becomes %d', (value, expected, warned) => {
    const { config, warnings } = run([`--deregistration-delay-timeout=${value}`]);
    expect(config.deregistrationDelayTimeoutMs).toBe(expected);
    expect(warnings.some((w) => w.flag === '--deregistration-delay-timeout')).toBe(warned);
  });
});

describe('--cert-filter-tag', () => {
  it.each([
    ['team', ''],
    ['a=b=c', ''],
    ['=', ''],
  ])('%j is ignored with a warning', (value, expected) => {
    const { config, warnings } = run([`--cert-filter-tag=${value}`]);
    expect(config.certFilterTag).toBe(expected);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.flag).toBe('--cert-filter-tag');
    expect(warnings[0]?.message).toContain('--cert-filter-tag');
  });

  it.each(['team=web', 'team=', 'kubernetes.io/owner=platform'])('%j is kept', (value) => {
    const { config, warnings } = run([`--cert-filter-tag=${value}`]);
    expect(config.certFilterTag).toBe(value);
    expect(warnings).toEqual([]);
  });
});

describe('other warnings', () => {
  it('--debug with --quiet warns that debug wins', () => {
    const { config, warnings } = run(['--debug', '--quiet']);
    expect(config.debug).toBe(true);
    expect(config.quiet).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/--debug/);
    expect(warnings[0]?.message).toMatch(/--quiet/);
  });

  it('malformed CUSTOM_FILTERS falls back to the defaults with a warning', () => {
    const { config, warnings } = run([], { CUSTOM_FILTERS: 'tag-key=a broken' });
    expect(config.customFilters).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ flag: 'CUSTOM_FILTERS' })]);
  });

  it('warnings accumulate', () => {
    const { warnings } = run(['--debug', '--quiet', '--idle-connection-timeout=0s', '--cert-filter-tag=x'], {
      CUSTOM_FILTERS: 'x',
    });
    expect(warnings.map((w) => w.flag).sort()).toEqual(
      ['--cert-filter-tag', '--idle-connection-timeout', '--quiet', 'CUSTOM_FILTERS'].sort(),
    );
  });
});
