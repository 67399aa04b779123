// The version reported by --version comes from package.json, the one place releases bump it.

import packageJson from '../../package.json' with { type: 'json' };

export const PROGRAM_NAME = 'kube-ingress-aws-controller';

export function versionText(): string {
  return `${PROGRAM_NAME} ${packageJson.version}`;
}
