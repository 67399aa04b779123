// Builds (or finds in its cache) kube-apiserver, etcd and kubectl once per run, before any e2e file starts.
// A cold build takes several minutes and needs apt and root; a cached one takes a second.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eBinDir: string;
  }
}

const SCRIPT = fileURLToPath(new URL('../../tools/e2e/build-apiserver.sh', import.meta.url));

export default function setup(project: TestProject): void {
  if (process.getuid?.() !== 0) {
    throw new Error('npm run test:e2e needs root: the controller runs in its own mount namespace (unshare -m), and a cold build uses apt');
  }
  const started = Date.now();
  const result = spawnSync('bash', [SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tools/e2e/build-apiserver.sh failed (exit ${result.status ?? result.signal})`);
  const cache = result.stdout.trim().split('\n').pop() ?? '';
  process.stderr.write(`e2e: binaries in ${cache} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  project.provide('e2eBinDir', path.join(cache, 'bin'));
}
