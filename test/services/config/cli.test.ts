import { describe, it, expect } from 'vitest';
import { loadConfigOrExit, type CliIo } from '../../../services/config/cli.ts';
import { renderHelp } from '../../../services/config/help.ts';
import packageJson from '../../../package.json' with { type: 'json' };

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    exit: (code) => {
      throw new Exited(code);
    },
  };
  return { io, out, err };
}

function exitCodeOf(run: () => unknown): number {
  try {
    run();
  } catch (error) {
    if (error instanceof Exited) return error.code;
    throw error;
  }
  throw new Error('did not exit');
}

describe('loadConfigOrExit', () => {
  it('prints help to stdout and exits 0', () => {
    const { io, out, err } = fakeIo();
    expect(exitCodeOf(() => loadConfigOrExit(['--help'], {}, io))).toBe(0);
    expect(out.join('')).toBe(renderHelp());
    expect(err).toEqual([]);
  });

  it('prints the version to stdout and exits 0', () => {
    const { io, out, err } = fakeIo();
    expect(exitCodeOf(() => loadConfigOrExit(['--version'], {}, io))).toBe(0);
    expect(out).toEqual([`kube-ingress-aws-controller ${packageJson.version}\n`]);
    expect(err).toEqual([]);
  });

  it.each([
    [['--target-access-mode=HostPort', '--health-check-port=70000'], '--health-check-port'],
    [[], '--target-access-mode'],
    [['--target-access-mode=HostPort', '--bogus'], '--bogus'],
    [['--target-access-mode=HostPort', 'apply'], '"apply"'],
  ])('on %j writes one line naming %s to stderr and exits 2', (argv, mention) => {
    const { io, out, err } = fakeIo();
    expect(exitCodeOf(() => loadConfigOrExit(argv, {}, io))).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^kube-ingress-aws-controller: [^\n]+\n$/);
    expect(err[0]).toContain(mention);
  });

  it('returns the configuration and warnings without exiting', () => {
    const { io, out, err } = fakeIo();
    const loaded = loadConfigOrExit(['plan', '--target-access-mode=Legacy', '--debug', '--quiet'], { STATE_DIR: '/data' }, io);
    expect(loaded.kind).toBe('plan');
    expect(loaded.config.targetAccessMode).toBe('Legacy');
    expect(loaded.config.stateDir).toBe('/data');
    expect(loaded.warnings).toHaveLength(1);
    expect(out).toEqual([]);
    expect(err).toEqual([]);
  });

  it('lets unexpected errors through', () => {
    const { io } = fakeIo();
    const hostile = new Proxy({} as Record<string, string | undefined>, {
      get: () => {
        throw new Error('env exploded');
      },
    });
    expect(() => loadConfigOrExit(['--target-access-mode=HostPort'], hostile, io)).toThrow('env exploded');
  });
});
