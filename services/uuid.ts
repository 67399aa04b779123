// Stack names end in a UUID. Production uses crypto randomness; the scenario runner seeds a generator so that
// the same scenario produces the same names, byte for byte.
import { randomUUID } from 'node:crypto';
import { seededUint32 } from './random.ts';

export const randomUuid = (): string => randomUUID();

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
