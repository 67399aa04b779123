// Typed failures of certificate discovery, so startup and the debug surface can tell a bad CA file from an
// unreachable ACM from a certificate that cannot be parsed.
import type { CertificateSource } from '../../planning/types/certificate.ts';
import { awsErrorCode, awsErrorMessage } from '../errors.ts';

/** The --extra-trusted-ca-file cannot be used. Fatal at startup: silently trusting less would be worse. */
export class TrustedRootsError extends Error {
  constructor(readonly file: string, reason: string, options?: { cause?: unknown }) {
    super(`extra trusted CA file ${file}: ${reason}`, options);
    this.name = 'TrustedRootsError';
  }
}

/** A certificate body that is not a parsable X.509 certificate. */
export class CertificateParseError extends Error {
  constructor(readonly arn: string, reason: string, options?: { cause?: unknown }) {
    super(`certificate ${arn}: ${reason}`, options);
    this.name = 'CertificateParseError';
  }
}

/** One provider (ACM or IAM) could not list its certificates. */
export class CertificateProviderError extends Error {
  readonly code: string;
  constructor(readonly source: CertificateSource, readonly operation: string, cause: unknown) {
    super(`${source} ${operation}: ${awsErrorCode(cause)}: ${awsErrorMessage(cause)}`, { cause });
    this.name = 'CertificateProviderError';
    this.code = awsErrorCode(cause);
  }
}

/** A load of the certificate cache failed; at startup this is fatal, later the previous set is kept. */
export class CertificateLoadError extends Error {
  constructor(readonly failures: readonly Error[]) {
    super(`loading certificates failed: ${failures.map((f) => f.message).join('; ')}`, { cause: failures[0] });
    this.name = 'CertificateLoadError';
  }
}
