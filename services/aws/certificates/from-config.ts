// Wiring of the certificate cache from the controller's configuration, so startup needs one call.
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config/config.ts';
import type { AwsClients } from '../clients.ts';
import { AcmCertificateProvider } from './acm-provider.ts';
import { CertificateCache } from './certificate-cache.ts';
import { IamCertificateProvider } from './iam-provider.ts';
import type { CertificateLogger } from './provider.ts';
import { loadTrustedRoots } from './trusted-roots.ts';

export interface CertificateCacheDeps {
  readonly config: Pick<Config, 'certFilterTag' | 'blacklistCertificateARNs' | 'extraTrustedCAFile' | 'certPollingIntervalMs'>;
  readonly clients: Pick<AwsClients, 'acm' | 'iam'>;
  readonly clock: Clock;
  readonly logger?: CertificateLogger;
}

/** A cache over ACM and IAM, not yet started. Rejects with TrustedRootsError for an unusable CA file. */
export async function createCertificateCache(deps: CertificateCacheDeps): Promise<CertificateCache> {
  const { config, clients, clock, logger } = deps;
  const trustedRoots = await loadTrustedRoots(config.extraTrustedCAFile);
  const common = { trustedRoots, filterTag: config.certFilterTag, ...(logger ? { logger } : {}) };
  return new CertificateCache(
    [new AcmCertificateProvider({ acm: clients.acm, ...common }), new IamCertificateProvider({ iam: clients.iam, ...common })],
    {
      blacklist: config.blacklistCertificateARNs,
      clock,
      refreshIntervalMs: config.certPollingIntervalMs,
      ...(logger ? { logger } : {}),
    },
  );
}
