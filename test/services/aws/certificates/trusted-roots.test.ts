import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustedRootsError } from '../../../../services/aws/certificates/errors.ts';
import { parseCertificate, pemCertificates } from '../../../../services/aws/certificates/parsed-certificate.ts';
import { loadTrustedRoots, TrustedRoots } from '../../../../services/aws/certificates/trusted-roots.ts';
import { privateRootPem, trustedRootPem } from '../../../../tools/sim/aws/certificates.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trusted-roots-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content, 'utf8');
  return path;
}

describe('loadTrustedRoots', () => {
  it('is the system store without an extra file', async () => {
    const roots = await loadTrustedRoots('');
    expect(roots.size).toBe(new Set(rootCertificates).size);
  });

  it('adds every certificate of the extra file, ignoring other PEM blocks', async () => {
    const bundle = [
      '# private roots',
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
      await trustedRootPem(),
      await privateRootPem(),
    ].join('\n');
    const roots = await loadTrustedRoots(await file('bundle.pem', bundle));
    const system = await loadTrustedRoots('');
    expect(roots.size).toBe(system.size + 2);
    const [privateRoot] = pemCertificates(await privateRootPem()).map(parseCertificate);
    expect(roots.contains(privateRoot!)).toBe(true);
    expect(system.contains(privateRoot!)).toBe(false);
  });

  it('counts a root listed twice once', async () => {
    const pem = await trustedRootPem();
    expect(TrustedRoots.fromPem([pem, pem]).size).toBe(1);
  });

  it('fails with TrustedRootsError for a missing file, a file without certificates and a broken certificate', async () => {
    await expect(loadTrustedRoots(join(dir, 'missing.pem'))).rejects.toThrow(TrustedRootsError);
    await expect(loadTrustedRoots(await file('empty.pem', 'nothing here\n'))).rejects.toThrow(/contains no PEM CERTIFICATE block/);
    const broken = await file('broken.pem', `${await trustedRootPem()}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`);
    await expect(loadTrustedRoots(broken)).rejects.toThrow(/certificate #2 does not parse/);
  });
});
