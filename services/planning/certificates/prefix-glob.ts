// Upstream's name matcher for certificate selection. It is looser than X.509 hostname verification, but it
// decides which of a certificate's names matched and so how specific the match counts, which is why it is
// reproduced exactly, quirks included: it is case-sensitive, and "*.example.org" also matches a dotless host
// such as "localhost", because only the absence of a remaining dot is checked.

export function prefixGlob(pattern: string, host: string): boolean {
  if (pattern === '') return host === '';
  if (pattern === '*') return true;
  if (!pattern.startsWith('*')) return pattern === host;
  const suffix = pattern.slice(1);
  const rest = host.endsWith(suffix) ? host.slice(0, host.length - suffix.length) : host;
  return !rest.includes('.');
}
