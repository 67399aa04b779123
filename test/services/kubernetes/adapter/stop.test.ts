// stop(): nothing keeps running afterwards, not even a pending restart, and a start() still waiting for its
// first list gives up with a typed error.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InformerStoppedError } from '../../../../services/kubernetes/api-errors.ts';
import { ingress, routeGroup, sleep, startAdapter, startSim, until } from './helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('stop', () => {
  it('closes every watch and makes no further requests', async () => {
    const sim = await startSim({ objects: [ingress('a'), routeGroup('r')] });
    const { adapter } = await startAdapter(sim, { routeGroupProbeIntervalMs: 20, watchRestartIntervalMs: 20 });
    await until(() => sim.watches().length === 2, 'watches');
    await adapter.stop();
    await until(() => sim.watches().length === 0, 'watches closed', 1000);
    const counts = JSON.stringify(sim.readCounts());
    await sleep(150);
    expect(JSON.stringify(sim.readCounts())).toBe(counts);
    // The cache keeps its last content.
    expect(adapter.snapshot().ingresses).toHaveLength(2);
  });

  it('rejects a start() still waiting for its first list with InformerStoppedError', async () => {
    const sim = await startSim({ objects: [ingress('a')] });
    sim.failNext('GET', /\/ingresses$/, 500);
    const { adapter, lines } = await startAdapter(sim, { start: false, backoff: { initialMs: 60_000, maxMs: 60_000 } });
    const started = adapter.start();
    // Attached before stop() triggers the rejection, so it is never unhandled.
    const rejected = expect(started).rejects.toBeInstanceOf(InformerStoppedError);
    await until(() => lines.some((l) => l.event === 'informer-restart'), 'first list failed');
    await adapter.stop();
    await rejected;
    // The server notices the aborted stream a moment after the client has let go of it.
    await until(() => sim.watches().length === 0, 'watches closed', 1000);
  });

  it('stops while a watch request is still waiting for its response headers', async () => {
    const sim = await startSim({ objects: [ingress('a'), routeGroup('r')] });
    // The Ingress list fails (its restart is far away); the RouteGroup watch is accepted and never answered.
    sim.failNext('GET', /\/ingresses$/, 500);
    sim.holdNext('GET', /\/routegroups\?watch=true/);
    const { adapter, lines } = await startAdapter(sim, { start: false, backoff: { initialMs: 60_000, maxMs: 60_000 } });
    const started = adapter.start();
    const rejected = expect(started).rejects.toBeInstanceOf(InformerStoppedError);
    await until(() => lines.some((l) => l.event === 'informer-restart'), 'first list failed');
    await until(() => (sim.readCounts()['watch /apis/zalando.org/v1/routegroups'] ?? 0) > 0, 'routegroup watch sent');
    // The held request is still unanswered: stop() must not wait for the server.
    await adapter.stop();
    await rejected;
    await until(() => sim.watches().length === 0, 'watches closed', 1000);
  });

  it('lets the process exit on its own once stopped (no timers, sockets or requests left)', async () => {
    const sim = await startSim({ objects: [ingress('a'), routeGroup('r')] });
    // The first Ingress watch fails, so a 5 s restart is pending when the child stops.
    sim.failNext('GET', /\/ingresses\?watch=true/, 500);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'stop-child.ts'), sim.url], {
      cwd: path.resolve(here, '../../../..'),
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Exiting on its own (code 0) comes before the killer; anything left running would end in SIGKILL.
    const exit = await new Promise<{ code: number | null }>((resolve) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', (code) => {
        clearTimeout(killer);
        resolve({ code });
      });
    });
    expect(stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(JSON.parse(stdout.trim())).toEqual({ stopped: true, ingresses: 2, routeGroupsEnabled: true });
    expect(sim.writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      'PATCH /apis/networking.k8s.io/v1/namespaces/default/ingresses/a/status',
      'POST /api/v1/namespaces/default/events',
    ]);
    expect(sim.watches()).toHaveLength(0);
  }, 30_000);
});
