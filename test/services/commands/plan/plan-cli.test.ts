// The real process: `node --import tsx main.ts plan <flags>`, credentials and endpoints from the environment
// as an operator would set them. The simulations run in this process, so the child is awaited asynchronously.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPlanWorld, type PlanWorld } from './plan-world.ts';
import { REPO_ROOT } from '../../../helpers/fixtures.ts';

const root = REPO_ROOT;

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'main.ts', ...args], { cwd: root, env, timeout: 25_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let world: PlanWorld;
beforeAll(async () => {
  world = await startPlanWorld();
});
afterAll(async () => {
  await world.close();
});

it('`main.ts plan <flags>` prints the plan and exits 0 without changing anything', async () => {
  const { PATH = '', HOME = '' } = process.env;
  const result = await runCli(['plan', ...world.baseFlags()], {
    PATH, HOME,
    AWS_ENDPOINT_URL: world.aws.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: world.aws.world.region,
    AWS_EC2_METADATA_SERVICE_ENDPOINT: world.imds.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^Plan for cluster aws:123:eu-central-1:kube-1 in eu-central-1 \(VPC vpc-1, security group sg-1\) at \d{4}-/);
  expect(lines).toContain('create <new stack 1>');
  expect(lines.at(-1)).toBe('Summary: 1 to create, 0 to update, 0 to delete, 0 unchanged, 0 draining.');
  expect(world.mutations()).toEqual({ aws: [], kubernetes: [] });
});
