// Certificate discovery: providers for ACM and IAM, the refreshing cache, and the X.509 summary.
export { AcmCertificateProvider, type AcmProviderOptions } from './acm-provider.ts';
export { CertificateCache, type CertificateCacheOptions } from './certificate-cache.ts';
export { CertificateLoadError, CertificateParseError, CertificateProviderError, TrustedRootsError } from './errors.ts';
export { IamCertificateProvider, type IamProviderOptions } from './iam-provider.ts';
export type { CertificateLogger, CertificateProvider } from './provider.ts';
export { summarizeCertificate, type SummarizeInput } from './summarize.ts';
export { loadTrustedRoots, TrustedRoots } from './trusted-roots.ts';
export { createCertificateCache, type CertificateCacheDeps } from './from-config.ts';
