// ConfigMap reads (the CloudWatch alarm definitions). Read fresh each time, as upstream does every cycle;
// a failure is an error the caller must act on, because upstream aborts the cycle rather than deploy stacks
// without the alarms.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { ConfigMapReadError, httpStatusOf } from './api-errors.ts';
import { requestOptions } from './request-options.ts';

export class ConfigMapReader {
  private readonly core: CoreV1Api;

  constructor(private readonly options: { kubeConfig: KubeConfig; timeoutMs?: number; signal?: AbortSignal }) {
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
  }

  /** The ConfigMap's `data` ({} when it has none). Throws ConfigMapReadError, also when it does not exist. */
  async readConfigMap(namespace: string, name: string): Promise<Record<string, string>> {
    try {
      const configMap = await this.core.readNamespacedConfigMap(
        { namespace, name },
        requestOptions({
          ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
          ...(this.options.signal ? { signal: this.options.signal } : {}),
        }),
      );
      return { ...(configMap.data ?? {}) };
    } catch (err) {
      throw new ConfigMapReadError(namespace, name, httpStatusOf(err), { cause: err });
    }
  }
}
