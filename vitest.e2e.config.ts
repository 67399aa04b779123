// `npm run test:e2e`: the suite against a real kube-apiserver and etcd (test/e2e/). Not part of `npm test`,
// which stays hermetic: this one may run apt (a cold build of the binaries) and needs root (unshare -m).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // One control plane and one controller at a time on two cores.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
