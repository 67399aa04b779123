// kubeConfigFor: upstream's --api-server-base-url mode (no credentials, plain http allowed) and the
// User-Agent on both unary calls and watches.
import { CoreV1Api, RequestContext, HttpMethod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { kubeConfigFor, USER_AGENT } from '../../../../services/kubernetes/kube-config.ts';
import { startSim } from './helpers.ts';

describe('kubeConfigFor', () => {
  it('talks to --api-server-base-url over plain http without credentials', async () => {
    const sim = await startSim({ objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } }] });
    const kc = kubeConfigFor({ apiServerBaseURL: `${sim.url}/` });
    expect(kc.getCurrentCluster()).toMatchObject({ server: sim.url, skipTLSVerify: true });
    expect(kc.getCurrentUser()).toEqual({ name: 'anonymous' });
    const namespace = await kc.makeApiClient(CoreV1Api).readNamespace({ name: 'kube-system' });
    expect(namespace.metadata?.name).toBe('kube-system');
  });

  it('keeps TLS verification for an https base URL', () => {
    expect(kubeConfigFor({ apiServerBaseURL: 'https://127.0.0.1:6443' }).getCurrentCluster()).toMatchObject({ skipTLSVerify: false });
  });

  it('sends User-Agent kube-ingress-aws-controller on unary calls and watches, and no Authorization', async () => {
    const kc = kubeConfigFor({ apiServerBaseURL: 'http://127.0.0.1:8001' });
    const context = new RequestContext('http://127.0.0.1:8001/api/v1/namespaces', HttpMethod.GET);
    await kc.applySecurityAuthentication(context);
    expect(context.getHeaders()['User-Agent']).toBe(USER_AGENT);
    expect(context.getHeaders()['Authorization']).toBeUndefined();

    const init = await kc.applyToFetchOptions({});
    const headers = init.headers as unknown as { get(name: string): string | null };
    expect(headers.get('User-Agent')).toBe(USER_AGENT);
    expect(headers.get('Authorization')).toBeNull();
  });

  it('uses the in-cluster service account when no base URL is given', () => {
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = '10.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    try {
      const kc = kubeConfigFor({ apiServerBaseURL: '' });
      expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://10.0.0.1:443', caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' });
      expect(kc.getCurrentUser()?.authProvider?.config?.tokenFile).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
    } finally {
      for (const [key, value] of [['KUBERNETES_SERVICE_HOST', saved.host], ['KUBERNETES_SERVICE_PORT', saved.port]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
