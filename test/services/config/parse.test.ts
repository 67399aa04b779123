import { describe, it, expect } from 'vitest';
import { renderHelp } from '../../../services/config/help.ts';
import { parseCommandLine } from '../../../services/config/parse.ts';
import packageJson from '../../../package.json' with { type: 'json' };
import { configErrorOf, configOf, parseRun, HOST_PORT } from './helpers.ts';

describe('flag syntax', () => {
  it('accepts --flag=value and --flag value alike', () => {
    const a = configOf(['--cluster-id=prod', '--health-check-port=8080', '--polling-interval=1m']);
    const b = configOf(['--cluster-id', 'prod', '--health-check-port', '8080', '--polling-interval', '1m']);
    expect(a).toStrictEqual(b);
    expect(a.clusterId).toBe('prod');
    expect(a.healthCheckPort).toBe(8080);
    expect(a.pollingIntervalMs).toBe(60_000);
  });

  it('keeps everything after the first "=" as the value', () => {
    expect(configOf(['--cert-filter-tag=team=web']).certFilterTag).toBe('team=web');
    expect(configOf(['--cluster-id=']).clusterId).toBe('');
  });

  it('takes a separate value that starts with a single dash', () => {
    expect(configOf(['--deny-internal-domains-response-status-code', '-1']).denyInternalDomainsResponseStatusCode).toBe(-1);
  });

  it('reads integers the way Go does (base prefixes, underscores)', () => {
    expect(configOf(['--health-check-port=0x270F']).healthCheckPort).toBe(9999);
    expect(configOf(['--target-port=8_080']).targetPort).toBe(8080);
    expect(configOf(['--max-certs-alb=-3']).maxCertsALB).toBe(-3);
  });

  it('reads enum values exactly', () => {
    const config = configOf(['--ip-addr-type=dualstack', '--load-balancer-type=network', '--ssl-policy=ELBSecurityPolicy-TLS13-1-3-2021-06']);
    expect(config.ipAddrType).toBe('dualstack');
    expect(config.loadBalancerType).toBe('network');
    expect(config.sslPolicy).toBe('ELBSecurityPolicy-TLS13-1-3-2021-06');
    expect(parseRun(['--target-access-mode=Legacy']).config.targetAccessMode).toBe('Legacy');
    const cni = parseRun(['--target-access-mode=AWSCNI', '--target-cni-namespace=kube-system', '--target-cni-pod-labelselector=application=skipper-ingress']);
    expect(cni.config.targetAccessMode).toBe('AWSCNI');
    expect(cni.config.targetCNINamespace).toBe('kube-system');
    expect(cni.config.targetCNIPodLabelSelector).toBe('application=skipper-ingress');
  });

  it('takes flags in any order, and "--" ends the flags', () => {
    expect(parseRun(['--debug', HOST_PORT, '--quiet']).config.debug).toBe(true);
    expect(parseRun([HOST_PORT, '--', 'plan']).kind).toBe('plan');
  });
});

describe('boolean flags', () => {
  it.each([
    [['--debug'], true],
    [['--no-debug'], false],
    [['--debug=true'], true],
    [['--debug=false'], false],
    [['--debug=1'], true],
    [['--debug=F'], false],
    [[], false],
  ])('%j gives %s', (args, expected) => {
    expect(configOf(args).debug).toBe(expected);
  });

  it('every boolean flag has a --no- form', () => {
    const config = configOf([
      '--no-quiet',
      '--no-disable-sni-support',
      '--no-disable-instrumented-http-client',
      '--no-stack-termination-protection',
      '--no-target-https',
      '--no-redirect-http-to-https',
      '--no-nlb-cross-zone',
      '--no-nlb-http-enabled',
      '--no-deny-internal-domains',
    ]);
    expect(config.denyInternalDomains).toBe(false);
  });

  it('sets each boolean field', () => {
    const config = configOf([
      '--quiet',
      '--disable-sni-support',
      '--disable-instrumented-http-client',
      '--stack-termination-protection',
      '--target-https',
      '--redirect-http-to-https',
      '--nlb-cross-zone',
      '--nlb-http-enabled',
      '--deny-internal-domains',
    ]);
    expect(config).toMatchObject({
      quiet: true,
      disableSNISupport: true,
      disableInstrumentedHTTPClient: true,
      stackTerminationProtection: true,
      targetHTTPS: true,
      redirectHTTPToHTTPS: true,
      nlbCrossZone: true,
      nlbHTTPEnabled: true,
      denyInternalDomains: true,
    });
  });

  it('a separate word after a boolean flag is an argument, not its value', () => {
    expect(configErrorOf([HOST_PORT, '--debug', 'true']).message).toContain('"true"');
  });
});

describe('list and map flags', () => {
  it('--internal-domains replaces the default and accumulates', () => {
    expect(configOf(['--internal-domains=*.internal']).internalDomains).toEqual(['*.internal']);
    expect(configOf(['--internal-domains', '*.a', '--internal-domains=*.b']).internalDomains).toEqual(['*.a', '*.b']);
  });

  it('--blacklist-certificate-arns accumulates', () => {
    const arns = ['arn:aws:acm:eu-central-1:1:certificate/a', 'arn:aws:acm:eu-central-1:1:certificate/b'];
    expect(configOf([`--blacklist-certificate-arns=${arns[0]}`, '--blacklist-certificate-arns', arns[1] as string]).blacklistCertificateARNs).toEqual(arns);
  });

  it('--additional-stack-tags collects KEY=VALUE pairs; the value may hold "=", the last duplicate wins', () => {
    const config = configOf([
      '--additional-stack-tags=team=web',
      '--additional-stack-tags',
      'expr=a=b',
      '--additional-stack-tags=empty=',
      '--additional-stack-tags=team=platform',
    ]);
    expect(config.additionalStackTags).toEqual({ team: 'platform', expr: 'a=b', empty: '' });
  });

  it('--ingress-class-filter splits on commas without trimming', () => {
    expect(configOf(['--ingress-class-filter=skipper']).ingressClassFilter).toEqual(['skipper']);
    expect(configOf(['--ingress-class-filter=a, b,']).ingressClassFilter).toEqual(['a', ' b', '']);
    expect(configOf(['--ingress-class-filter=']).ingressClassFilter).toEqual([]);
  });
});

describe('environment variables', () => {
  const cases: [string, string, string, (c: ReturnType<typeof configOf>) => unknown, unknown, string, unknown][] = [
    ['API_SERVER_BASE_URL', 'http://127.0.0.1:8001', '--api-server-base-url', (c) => c.apiServerBaseURL, 'http://127.0.0.1:8001', 'http://flag:1', 'http://flag:1'],
    ['POLLING_INTERVAL', '10s', '--polling-interval', (c) => c.pollingIntervalMs, 10_000, '1m', 60_000],
    ['CREATION_TIMEOUT', '10m', '--creation-timeout', (c) => c.creationTimeoutMs, 600_000, '2m', 120_000],
    ['CERT_POLLING_INTERVAL', '1h', '--cert-polling-interval', (c) => c.certPollingIntervalMs, 3_600_000, '5m', 300_000],
    ['STATE_DIR', '/data', '--state-dir', (c) => c.stateDir, '/data', '/flag', '/flag'],
  ];

  it.each(cases)('%s is used when %s is absent, and the flag wins', (env, envValue, flag, pick, fromEnv, flagValue, fromFlag) => {
    expect(pick(configOf([], { [env]: envValue }))).toEqual(fromEnv);
    expect(pick(configOf([`${flag}=${flagValue}`], { [env]: envValue }))).toEqual(fromFlag);
  });

  it('an empty variable counts as unset', () => {
    expect(configOf([], { POLLING_INTERVAL: '', STATE_DIR: '' })).toMatchObject({
      pollingIntervalMs: 30_000,
      stateDir: '/var/lib/kube-ingress-aws-controller',
    });
  });

  it('a flag given on the command line shadows a bad variable', () => {
    expect(configOf(['--polling-interval=5s'], { POLLING_INTERVAL: 'garbage' }).pollingIntervalMs).toBe(5_000);
  });

  it('CUSTOM_FILTERS reaches the config', () => {
    expect(configOf([], { CUSTOM_FILTERS: 'tag-key=role/ingress tag:env=prod,staging' }).customFilters).toEqual([
      { name: 'tag-key', values: ['role/ingress'] },
      { name: 'tag:env', values: ['prod', 'staging'] },
    ]);
  });
});

describe('other fields', () => {
  it('--cloudwatch-alarms-config-map parses namespace/name, trimming outer slashes as upstream', () => {
    expect(configOf(['--cloudwatch-alarms-config-map=kube-system/alarms']).cloudwatchAlarmsConfigMap).toEqual({
      namespace: 'kube-system',
      name: 'alarms',
    });
    expect(configOf(['--cloudwatch-alarms-config-map=/kube-system/alarms/']).cloudwatchAlarmsConfigMap).toEqual({
      namespace: 'kube-system',
      name: 'alarms',
    });
  });

  it('the flags we add are read', () => {
    const config = configOf(['--state-dir=/tmp/state', '--extra-trusted-ca-file=/etc/ssl/private-ca.pem']);
    expect(config.stateDir).toBe('/tmp/state');
    expect(config.extraTrustedCAFile).toBe('/etc/ssl/private-ca.pem');
  });

  it('durations keep sub-millisecond precision', () => {
    expect(configOf(['--health-check-timeout=1500us']).healthCheckTimeoutMs).toBe(1.5);
  });
});

describe('modes', () => {
  it('"plan" as the first argument selects plan mode', () => {
    expect(parseRun(['plan', HOST_PORT]).kind).toBe('plan');
    expect(parseRun([HOST_PORT, 'plan']).kind).toBe('plan');
    expect(parseRun([HOST_PORT]).kind).toBe('run');
  });

  it('--help works without --target-access-mode, and despite bad values', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help', text: renderHelp() });
    expect(parseCommandLine(['plan', '--health-check-port=0', '--help'], {}).kind).toBe('help');
    expect(parseCommandLine(['--help-long'], {}).kind).toBe('help');
    expect(parseCommandLine(['--help', '--help-long'], {}).kind).toBe('help');
  });

  it('--version works without --target-access-mode', () => {
    expect(parseCommandLine(['--version'], {})).toEqual({
      kind: 'version',
      text: `kube-ingress-aws-controller ${packageJson.version}`,
    });
    expect(parseCommandLine(['--version=true', '--polling-interval=bad'], { POLLING_INTERVAL: 'bad' }).kind).toBe('version');
  });

  it('--version=false means run', () => {
    const outcome = parseRun(['--version=false', HOST_PORT]);
    expect(outcome.kind).toBe('run');
    expect(outcome.config.version).toBe(false);
  });

  it('--help wins over --version', () => {
    expect(parseCommandLine(['--version', '--help'], {}).kind).toBe('help');
  });
});

describe('immutability', () => {
  it('the returned config is deeply frozen', () => {
    const config = configOf(['--additional-stack-tags=a=b', '--cloudwatch-alarms-config-map=ns/name'], {
      CUSTOM_FILTERS: 'tag-key=x',
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.internalDomains)).toBe(true);
    expect(Object.isFrozen(config.additionalStackTags)).toBe(true);
    expect(Object.isFrozen(config.cloudwatchAlarmsConfigMap)).toBe(true);
    expect(Object.isFrozen(config.customFilters)).toBe(true);
    expect(Object.isFrozen(config.customFilters?.[0]?.values)).toBe(true);
    expect(() => {
      (config as { clusterId: string }).clusterId = 'x';
    }).toThrow(TypeError);
    expect(() => (config.internalDomains as string[]).push('x')).toThrow(TypeError);
  });

  it('parsing twice gives independent results (defaults are not shared mutable state)', () => {
    const first = configOf(['--internal-domains=*.a']);
    const second = configOf([]);
    expect(first.internalDomains).toEqual(['*.a']);
    expect(second.internalDomains).toEqual(['*.cluster.local']);
  });
});
