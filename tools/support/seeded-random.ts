// A small seeded generator (mulberry32): reproducible stack-name UUIDs in the scenario runner and the
// simulations' failure draws. Not for anything security-relevant, and not part of the controller's build.

/** Returns a function yielding uniformly distributed 32-bit unsigned integers. */
export function seededUint32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Returns a function yielding numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  const next = seededUint32(seed);
  return () => next() / 4294967296;
}

/** RFC 4122 version-4 shaped UUIDs from a seed: the same scenario gives the same stack names, byte for byte. */
export function seededUuid(seed: number): () => string {
  const next = seededUint32(seed || 1);
  return () => {
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i += 4) {
      const n = next();
      bytes[i] = n & 0xff; bytes[i + 1] = (n >>> 8) & 0xff; bytes[i + 2] = (n >>> 16) & 0xff; bytes[i + 3] = (n >>> 24) & 0xff;
    }
    bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
