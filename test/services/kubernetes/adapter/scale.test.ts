// 10,000 objects: a snapshot after one change re-parses that one object only.
import { describe, expect, it } from 'vitest';
import { ingress, startAdapter, startSim, until } from './helpers.ts';

describe('snapshot at scale', () => {
  it('rebuilds a 10,000-object snapshot from cached parses', async () => {
    const objects = Array.from({ length: 10_000 }, (_, i) => ingress(`ing-${String(i).padStart(5, '0')}`, { namespace: `ns-${i % 50}` }));
    const sim = await startSim({ objects, historyLimit: 100 });
    const { adapter, changes } = await startAdapter(sim);
    const first = adapter.snapshot();
    expect(first.ingresses).toHaveLength(10_000);

    const before = changes.length;
    sim.apply(ingress('ing-00007', { namespace: 'ns-7', hosts: ['changed.example.org'] }));
    await until(() => changes.length > before, 'change');
    // How long this takes is a benchmark figure, not a test assertion.
    const second = adapter.snapshot();

    const reparsed = second.ingresses.filter((model, i) => model !== first.ingresses[i]);
    expect(reparsed.map((m) => m.ref.name)).toEqual(['ing-00007']);
  }, 60_000);
});
