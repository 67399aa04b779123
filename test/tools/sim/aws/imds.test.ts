// @aws-sdk/ec2-metadata-service is not installed, so IMDSv2 is exercised with plain fetch and with the
// smithy IMDS transport the SDK's credential chain uses (a transitive dependency, not added here).
import { httpRequest } from '@smithy/credential-provider-imds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import { startImds, type ImdsHandle } from '../../../../tools/sim/aws/imds.ts';
import { createWorld } from '../../../../tools/sim/aws/world.ts';

const clock = new VirtualClock(Date.UTC(2026, 0, 1));
const world = createWorld({
  region: 'eu-west-1',
  accountId: '210987654321',
  self: { instanceId: 'i-ctrl' },
  subnets: [{ id: 'subnet-b', vpcId: 'vpc-1', availabilityZone: 'eu-west-1b' }],
  instances: [{ id: 'i-ctrl', subnetId: 'subnet-b', privateIp: '10.0.7.9' }],
}, clock);

let imds: ImdsHandle;

beforeAll(async () => {
  imds = await startImds({ world, clock });
});
afterAll(async () => {
  await imds.close();
});

const token = async (ttl = '60') => {
  const res = await fetch(`${imds.endpoint}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': ttl } });
  expect(res.status).toBe(200);
  return res.text();
};

const get = (path: string, tok?: string) =>
  fetch(`${imds.endpoint}${path}`, { headers: tok === undefined ? {} : { 'x-aws-ec2-metadata-token': tok } });

describe('IMDSv2', () => {
  it('listens on loopback', () => {
    expect(imds.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('issues tokens only to PUT with a valid TTL header and no proxy header', async () => {
    expect((await fetch(`${imds.endpoint}/latest/api/token`, { method: 'PUT' })).status).toBe(400);
    for (const ttl of ['0', '21601', 'abc']) {
      const res = await fetch(`${imds.endpoint}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': ttl } });
      expect(res.status).toBe(400);
    }
    const proxied = await fetch(`${imds.endpoint}/latest/api/token`, {
      method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60', 'x-forwarded-for': '10.0.0.1' },
    });
    expect(proxied.status).toBe(403);
    expect((await fetch(`${imds.endpoint}/latest/api/token`)).status).toBe(405);
    const res = await fetch(`${imds.endpoint}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-aws-ec2-metadata-token-ttl-seconds')).toBe('21600');
    expect((await res.text()).length).toBeGreaterThan(20);
  });

  it('answers 401 without a token or with an unknown one', async () => {
    expect((await get('/latest/meta-data/instance-id')).status).toBe(401);
    expect((await get('/latest/meta-data/instance-id', 'forged')).status).toBe(401);
  });

  it('serves the controller instance metadata with a token', async () => {
    const tok = await token();
    expect(await (await get('/latest/meta-data/instance-id', tok)).text()).toBe('i-ctrl');
    expect(await (await get('/latest/meta-data/placement/region', tok)).text()).toBe('eu-west-1');
    expect(await (await get('/latest/meta-data/placement/availability-zone', tok)).text()).toBe('eu-west-1b');
    expect(await (await get('/latest/meta-data/local-ipv4', tok)).text()).toBe('10.0.7.9');
    const doc = await (await get('/latest/dynamic/instance-identity/document', tok)).json();
    expect(doc).toMatchObject({ region: 'eu-west-1', instanceId: 'i-ctrl', accountId: '210987654321', availabilityZone: 'eu-west-1b', privateIp: '10.0.7.9' });
    expect((await (await get('/latest/meta-data/', tok)).text()).split('\n')).toEqual(
      expect.arrayContaining(['instance-id', 'placement/', 'local-ipv4']),
    );
    expect(await (await get('/latest/meta-data/placement', tok)).text()).toBe('region\navailability-zone');
    expect((await get('/latest/meta-data/nothing-here', tok)).status).toBe(404);
  });

  it('expires tokens after their TTL', async () => {
    const tok = await token('60');
    expect((await get('/latest/meta-data/instance-id', tok)).status).toBe(200);
    clock.advance(61_000);
    expect((await get('/latest/meta-data/instance-id', tok)).status).toBe(401);
  });

  it('works with the smithy IMDS transport', async () => {
    const { hostname, port } = new URL(imds.endpoint);
    const tok = (await httpRequest({
      hostname, port: Number(port), path: '/latest/api/token', method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' },
    })).toString();
    const id = await httpRequest({ hostname, port: Number(port), path: '/latest/meta-data/instance-id', headers: { 'x-aws-ec2-metadata-token': tok } });
    expect(id.toString()).toBe('i-ctrl');
    await expect(httpRequest({ hostname, port: Number(port), path: '/latest/meta-data/instance-id' })).rejects.toMatchObject({ statusCode: 401 });
  });
});
