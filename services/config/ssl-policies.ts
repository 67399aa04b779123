// The listener SSL policies upstream v0.18 accepts, in its order. The list is deliberately static (upstream's is):
// a policy AWS added later is rejected for --ssl-policy and ignored in annotations, as upstream does.

export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

export const SSL_POLICIES: readonly string[] = Object.freeze([
  'ELBSecurityPolicy-2016-08',
  'ELBSecurityPolicy-FS-2018-06',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-TLS-1-1-2017-01',
  'ELBSecurityPolicy-2015-05',
  'ELBSecurityPolicy-TLS-1-0-2015-04',
  'ELBSecurityPolicy-FS-1-1-2019-08',
  'ELBSecurityPolicy-FS-1-2-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-1-2021-06',
  'ELBSecurityPolicy-TLS13-1-0-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
]);

export function isSupportedSslPolicy(name: string): boolean {
  return SSL_POLICIES.includes(name);
}
