// The client configuration the controller runs with: in-cluster service account, or upstream's
// --api-server-base-url mode (typically `kubectl proxy`): that URL, no credentials, no custom CA.
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';
import type https from 'node:https';
import type { Config } from '../config/config.ts';

export const USER_AGENT = 'kube-ingress-aws-controller';

type FetchInit = Awaited<ReturnType<KubeConfig['applyToFetchOptions']>>;

/**
 * Adds upstream's User-Agent to every request. The client has no setting for it: unary calls go through
 * applySecurityAuthentication and watches through applyToFetchOptions, so both are extended.
 */
export class ControllerKubeConfig extends KubeConfig {
  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    context.setHeaderParam('User-Agent', USER_AGENT);
  }

  override async applyToFetchOptions(opts: https.RequestOptions): Promise<FetchInit> {
    const init = await super.applyToFetchOptions(opts);
    const headers = init.headers as { set?: (name: string, value: string) => void } | undefined;
    headers?.set?.('User-Agent', USER_AGENT);
    return init;
  }
}

export function kubeConfigFor(config: Pick<Config, 'apiServerBaseURL'>): KubeConfig {
  const kc = new ControllerKubeConfig();
  const baseURL = config.apiServerBaseURL.replace(/\/+$/, '');
  if (baseURL === '') {
    kc.loadFromCluster();
    return kc;
  }
  kc.loadFromOptions({
    // The client refuses plain http unless skipTLSVerify is set; for http the flag has no other effect.
    // https keeps verification against the system roots, as upstream's default transport does.
    clusters: [{ name: 'api-server-base-url', server: baseURL, skipTLSVerify: baseURL.startsWith('http:') }],
    users: [{ name: 'anonymous' }],
    contexts: [{ name: 'api-server-base-url', cluster: 'api-server-base-url', user: 'anonymous' }],
    currentContext: 'api-server-base-url',
  });
  return kc;
}
