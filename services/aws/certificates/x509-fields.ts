// The fields of an X.509 certificate that selection and chain building read, taken from the DER exactly as
// Go's crypto/x509 would see them.
import { children, DerError, decodeOid, decodeSmallInteger, decodeString, decodeTime, expectTag, readElement, TAG, type DerElement } from './der.ts';

export interface CertificateFields {
  /** DER of the issuer and subject Names: parents are found by byte equality, as Go does. */
  readonly rawIssuer: Buffer;
  readonly rawSubject: Buffer;
  /** Go keeps the last CN attribute when a subject has several. */
  readonly commonName: string | undefined;
  readonly dnsNames: string[];
  readonly notBefore: number;
  readonly notAfter: number;
  /** undefined: no basicConstraints extension. */
  readonly basicConstraints: { readonly ca: boolean; readonly pathLen: number | undefined } | undefined;
  /** undefined: no extendedKeyUsage extension (any usage allowed). */
  readonly extKeyUsages: string[] | undefined;
  readonly signatureAlgorithm: string;
}

const OID_COMMON_NAME = '2.5.4.3';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const TAG_VERSION = 0xa0;
const TAG_EXTENSIONS = 0xa3;
const TAG_DNS_NAME = 0x82;

export function readCertificateFields(der: Buffer): CertificateFields {
  const certificate = expectTag(readElement(der), TAG.SEQUENCE, 'Certificate');
  const [tbsElement, algorithm] = children(certificate);
  const tbs = children(expectTag(tbsElement, TAG.SEQUENCE, 'TBSCertificate'));
  const signatureAlgorithm = algorithmOid(algorithm);

  let i = tbs[0]?.tag === TAG_VERSION ? 1 : 0;
  i++; // serialNumber
  i++; // signature (repeats the outer algorithm)
  const issuer = expectTag(tbs[i++], TAG.SEQUENCE, 'issuer');
  const [notBefore, notAfter] = children(expectTag(tbs[i++], TAG.SEQUENCE, 'validity'));
  const subject = expectTag(tbs[i++], TAG.SEQUENCE, 'subject');
  const extensionsWrapper = tbs.slice(i + 1).find((e) => e.tag === TAG_EXTENSIONS);

  let dnsNames: string[] = [];
  let basicConstraints: CertificateFields['basicConstraints'];
  let extKeyUsages: string[] | undefined;
  const extensionList = extensionsWrapper
    ? children(expectTag(children(extensionsWrapper)[0], TAG.SEQUENCE, 'extensions'))
    : [];
  for (const extension of extensionList) {
    const parts = children(expectTag(extension, TAG.SEQUENCE, 'Extension'));
    const oid = decodeOid(expectTag(parts[0], TAG.OID, 'extnID').content);
    const value = expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extnValue').content;
    if (oid === OID_SUBJECT_ALT_NAME) dnsNames = readDnsNames(value);
    else if (oid === OID_BASIC_CONSTRAINTS) basicConstraints = readBasicConstraints(value);
    else if (oid === OID_EXT_KEY_USAGE) extKeyUsages = readExtKeyUsages(value);
  }

  return {
    rawIssuer: issuer.raw,
    rawSubject: subject.raw,
    commonName: lastCommonName(subject),
    dnsNames,
    notBefore: decodeTime(expectElement(notBefore, 'notBefore')),
    notAfter: decodeTime(expectElement(notAfter, 'notAfter')),
    basicConstraints,
    extKeyUsages,
    signatureAlgorithm,
  };
}

function algorithmOid(element: DerElement | undefined): string {
  const [oid] = children(expectTag(element, TAG.SEQUENCE, 'AlgorithmIdentifier'));
  return decodeOid(expectTag(oid, TAG.OID, 'algorithm').content);
}

function lastCommonName(name: DerElement): string | undefined {
  let cn: string | undefined;
  for (const rdn of children(name)) {
    for (const attribute of children(expectTag(rdn, TAG.SET, 'RelativeDistinguishedName'))) {
      const [type, value] = children(expectTag(attribute, TAG.SEQUENCE, 'AttributeTypeAndValue'));
      if (decodeOid(expectTag(type, TAG.OID, 'attribute type').content) === OID_COMMON_NAME && value) cn = decodeString(value);
    }
  }
  return cn;
}

function readDnsNames(value: Buffer): string[] {
  return children(expectTag(readElement(value), TAG.SEQUENCE, 'GeneralNames'))
    .filter((name) => name.tag === TAG_DNS_NAME)
    .map((name) => name.content.toString('latin1'));
}

function readExtKeyUsages(value: Buffer): string[] {
  return children(expectTag(readElement(value), TAG.SEQUENCE, 'ExtKeyUsageSyntax')).map((purpose) =>
    decodeOid(expectTag(purpose, TAG.OID, 'KeyPurposeId').content),
  );
}

function readBasicConstraints(value: Buffer): CertificateFields['basicConstraints'] {
  const parts = children(expectTag(readElement(value), TAG.SEQUENCE, 'BasicConstraints'));
  let ca = false;
  let pathLen: number | undefined;
  for (const part of parts) {
    if (part.tag === TAG.BOOLEAN) ca = part.content[0] !== 0;
    else if (part.tag === TAG.INTEGER) pathLen = decodeSmallInteger(part.content);
  }
  return { ca, pathLen };
}

function expectElement(element: DerElement | undefined, what: string): DerElement {
  if (!element) throw new DerError(`missing ${what}`);
  return element;
}
