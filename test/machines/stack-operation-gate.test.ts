import { describe, expect, it } from 'vitest';
import { StackOperationGate } from '../../machines/stack-operation-gate.ts';

const settle = () => new Promise((r) => setImmediate(r));

describe('StackOperationGate', () => {
  it('admits up to the limit and queues the rest, first come first served', async () => {
    const gate = new StackOperationGate(2);
    const admitted: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) void gate.acquire(name).then(() => admitted.push(name));
    await settle();
    expect(admitted).toEqual(['a', 'b']);
    expect([gate.inFlight, gate.queued]).toEqual([2, 2]);
    expect(gate.isQueued('c')).toBe(true);
    gate.release('b');
    await settle();
    expect(admitted).toEqual(['a', 'b', 'c']);
    gate.release('a');
    await settle();
    expect(admitted).toEqual(['a', 'b', 'c', 'd']);
    expect([gate.inFlight, gate.queued]).toEqual([2, 0]);
  });

  it('lets a holder resubmit without a second slot, and ignores a release of someone who holds nothing', async () => {
    const gate = new StackOperationGate(1);
    await gate.acquire('a');
    await gate.acquire('a');
    gate.release('nobody');
    expect(gate.inFlight).toBe(1);
    let admitted = false;
    void gate.acquire('b').then(() => { admitted = true; });
    await settle();
    expect(admitted).toBe(false);
  });

  it('drops a queued actor that goes away without giving it a slot', async () => {
    const gate = new StackOperationGate(1);
    await gate.acquire('a');
    const order: string[] = [];
    void gate.acquire('b').then(() => order.push('b'));
    void gate.acquire('c').then(() => order.push('c'));
    gate.release('b');
    gate.release('a');
    await settle();
    expect(order).toEqual(['c']);
    expect(gate.queued).toBe(0);
  });

  it('counts operations already under way (restored or adopted) even above the limit', async () => {
    const gate = new StackOperationGate(1);
    gate.hold('x');
    gate.hold('y');
    expect(gate.inFlight).toBe(2);
    let admitted = false;
    void gate.acquire('z').then(() => { admitted = true; });
    gate.release('x');
    await settle();
    expect(admitted).toBe(false);
    gate.release('y');
    await settle();
    expect(admitted).toBe(true);
  });

  it('rejects a limit below one', () => {
    expect(() => new StackOperationGate(0)).toThrow(RangeError);
  });
});
