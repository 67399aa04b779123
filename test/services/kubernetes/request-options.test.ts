import { describe, expect, it } from 'vitest';
import { describeRequest } from '../../../services/kubernetes/request-options.ts';

describe('describeRequest', () => {
  it.each([
    ['GET', 'https://10.0.0.1:443/apis/networking.k8s.io/v1/ingresses?limit=500', 'list', 'ingresses', '/apis/networking.k8s.io/v1/ingresses'],
    ['GET', 'https://10.0.0.1:443/apis/networking.k8s.io/v1/ingresses?watch=true&resourceVersion=5', 'watch', 'ingresses', '/apis/networking.k8s.io/v1/ingresses'],
    ['PATCH', 'https://10.0.0.1:443/apis/networking.k8s.io/v1/namespaces/shop/ingresses/web/status', 'patch', 'ingresses/status', '/apis/networking.k8s.io/v1/namespaces/{namespace}/ingresses/{name}/status'],
    ['POST', 'https://10.0.0.1:443/api/v1/namespaces/shop/events', 'create', 'events', '/api/v1/namespaces/{namespace}/events'],
    ['PUT', 'https://10.0.0.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-ingress-aws-controller', 'update', 'leases', '/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}'],
    ['GET', 'https://10.0.0.1:443/api/v1/namespaces/kube-system/configmaps/alarms', 'get', 'configmaps', '/api/v1/namespaces/{namespace}/configmaps/{name}'],
  ])('%s %s is %s %s', (method, url, verb, resource, pathTemplate) => {
    expect(describeRequest({ method, url }, 200, 0.01)).toMatchObject({ verb, resource, pathTemplate, scheme: 'https', host: '10.0.0.1' });
  });
});
