// Simulated EC2 (ec2Query protocol): the read-only describe calls the controller makes for discovery and
// instance targets. Member names here are the lowerCamel wire names; the SDK maps them to its PascalCase
// output (reservationSet -> Reservations, tagSet -> Tags, instanceState -> State, ...).
import { AwsError, globMatch, list, paginate } from './protocol.ts';
import type { ServiceDefinition, SimContext } from './server.ts';
import type { SimInstance, SimSecurityGroup, SimSubnet, SimVpc, Tags, World } from './world.ts';

interface Filter { Name?: string; Value?: unknown }

/** How one resource type answers each non-tag filter name (all values a resource has for that field). */
type FilterFields<T> = Record<string, (item: T) => (string | undefined)[]>;

const INSTANCE_STATE_CODES: Record<string, number> = {
  pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80,
};

const tagSet = (tags: Tags) => Object.entries(tags).map(([key, value]) => ({ key, value }));

const stripPrefix = (id: string, prefix: string) => (id.startsWith(prefix) ? id.slice(prefix.length) : id);

/**
 * Apply EC2 filter semantics: filters are ANDed, the values of one filter ORed, values may use `*` and `?`
 * wildcards. Names the resource type does not support are rejected, as EC2 does, so a typo in a controller's
 * custom filter fails here instead of silently matching everything.
 */
function applyFilters<T>(items: T[], filters: unknown, fields: FilterFields<T>, tagsOf: (item: T) => Tags): T[] {
  const parsed = list<Filter>(filters).map((f) => {
    const name = String(f.Name ?? '');
    const values = list<string>(f.Value).map(String);
    let read: (item: T) => (string | undefined)[];
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      read = (item) => [tagsOf(item)[key]];
    } else if (name === 'tag-key') {
      read = (item) => Object.keys(tagsOf(item));
    } else if (name === 'tag-value') {
      read = (item) => Object.values(tagsOf(item));
    } else {
      const field = fields[name];
      if (!field) throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
      read = field;
    }
    return { read, values };
  });
  return items.filter((item) =>
    parsed.every(({ read, values }) => {
      const actual = read(item).filter((v): v is string => v !== undefined);
      return values.some((pattern) => actual.some((v) => globMatch(pattern, v)));
    }),
  );
}

/** Select by explicit ids (`InstanceId.N` and friends); any unknown id fails the whole call, as in EC2. */
function byIds<T>(all: Map<string, T>, ids: unknown, notFound: (missing: string[]) => AwsError): T[] {
  const wanted = list<string>(ids).map(String);
  if (wanted.length === 0) return [...all.values()];
  const missing = wanted.filter((id) => !all.has(id));
  if (missing.length > 0) throw notFound(missing);
  return [...new Set(wanted)].map((id) => all.get(id)!);
}

const notFound = (code: string, noun: string) => (missing: string[]) =>
  new AwsError(
    code,
    missing.length === 1 ? `The ${noun} '${missing[0]}' does not exist` : `The ${noun}s '${missing.join(', ')}' do not exist`,
  );

/** MaxResults/NextToken paging; without MaxResults EC2 returns everything in one page. */
function page<T>(items: T[], input: { MaxResults?: string; NextToken?: string }): { page: T[]; nextToken?: string } {
  if (input.MaxResults === undefined) return { page: items };
  const size = Number(input.MaxResults);
  if (!Number.isInteger(size) || size < 5 || size > 1000) {
    throw new AwsError('InvalidParameterValue', `Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
  const { page: slice, next } = paginate(items, input.NextToken, size);
  return next ? { page: slice, nextToken: next } : { page: slice };
}

/** VPCs named in the world plus any a subnet refers to, so a scenario need not list both. */
function allVpcs(world: World): Map<string, SimVpc> {
  const vpcs = new Map(world.vpcs);
  for (const s of world.subnets.values()) if (!vpcs.has(s.vpcId)) vpcs.set(s.vpcId, { id: s.vpcId, cidrBlock: '10.0.0.0/16' });
  return vpcs;
}

// ---- DescribeInstances -------------------------------------------------------------------------------------

const INSTANCE_FIELDS: FilterFields<SimInstance> = {
  'instance-id': (i) => [i.id],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(INSTANCE_STATE_CODES[i.state] ?? 0)],
  'vpc-id': (i) => [i.vpcId],
  'subnet-id': (i) => [i.subnetId],
  'availability-zone': (i) => [i.availabilityZone],
  'private-ip-address': (i) => [i.privateIp],
};

function instanceItem(i: SimInstance, world: World) {
  // Terminated instances lose their network placement in real EC2.
  const gone = i.state === 'terminated';
  return {
    instanceId: i.id,
    imageId: 'ami-0simulated0000000',
    instanceState: { code: INSTANCE_STATE_CODES[i.state] ?? 0, name: i.state },
    privateDnsName: gone ? '' : `ip-${i.privateIp.replace(/\./g, '-')}.${world.region}.compute.internal`,
    instanceType: 'm5.large',
    placement: { availabilityZone: i.availabilityZone, tenancy: 'default' },
    privateIpAddress: gone ? undefined : i.privateIp,
    subnetId: gone ? undefined : i.subnetId,
    vpcId: gone ? undefined : i.vpcId,
    architecture: 'x86_64',
    tagSet: tagSet(i.tags),
  };
}

function describeInstances(input: any, { world }: SimContext) {
  if (list(input.InstanceId).length > 0 && input.MaxResults !== undefined) {
    throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  const selected = byIds(world.instances, input.InstanceId, notFound('InvalidInstanceID.NotFound', 'instance ID'));
  const matched = applyFilters(selected, input.Filter, INSTANCE_FIELDS, (i) => i.tags);
  const { page: instances, nextToken } = page(matched, input);
  return {
    // One reservation per instance: the controller never looks at reservation grouping.
    reservationSet: instances.map((i) => ({
      reservationId: `r-${stripPrefix(i.id, 'i-')}`,
      ownerId: world.accountId,
      groupSet: [],
      instancesSet: [instanceItem(i, world)],
    })),
    nextToken,
  };
}

// ---- DescribeSubnets ---------------------------------------------------------------------------------------

const SUBNET_FIELDS: FilterFields<SimSubnet> = {
  'subnet-id': (s) => [s.id],
  'vpc-id': (s) => [s.vpcId],
  'availability-zone': (s) => [s.availabilityZone],
  'cidr-block': (s) => [s.cidrBlock],
  state: () => ['available'],
  'default-for-az': () => ['false'],
};

function describeSubnets(input: any, { world }: SimContext) {
  const selected = byIds(world.subnets, input.SubnetId, notFound('InvalidSubnetID.NotFound', 'subnet ID'));
  const { page: subnets, nextToken } = page(applyFilters(selected, input.Filter, SUBNET_FIELDS, (s) => s.tags), input);
  return {
    subnetSet: subnets.map((s) => ({
      subnetId: s.id,
      subnetArn: `arn:aws:ec2:${world.region}:${world.accountId}:subnet/${s.id}`,
      state: 'available',
      vpcId: s.vpcId,
      cidrBlock: s.cidrBlock,
      availableIpAddressCount: 250,
      availabilityZone: s.availabilityZone,
      defaultForAz: false,
      mapPublicIpOnLaunch: s.public,
      ownerId: world.accountId,
      tagSet: tagSet(s.tags),
    })),
    nextToken,
  };
}

// ---- DescribeRouteTables -----------------------------------------------------------------------------------

interface DerivedRouteTable {
  id: string;
  vpcId: string;
  main: boolean;
  subnetIds: string[];
  internetGatewayId?: string;
  cidrBlock: string;
}

/**
 * The world only says which subnets are public, so route tables are derived: every VPC has a main table with
 * just the local route (private subnets fall back to it), and a VPC with public subnets also has one table,
 * explicitly associated with all of them, that routes 0.0.0.0/0 to an internet gateway.
 */
function deriveRouteTables(world: World): DerivedRouteTable[] {
  const tables: DerivedRouteTable[] = [];
  for (const vpc of allVpcs(world).values()) {
    const suffix = stripPrefix(vpc.id, 'vpc-');
    tables.push({ id: `rtb-${suffix}-main`, vpcId: vpc.id, main: true, subnetIds: [], cidrBlock: vpc.cidrBlock });
    const publicSubnets = [...world.subnets.values()].filter((s) => s.vpcId === vpc.id && s.public).map((s) => s.id);
    if (publicSubnets.length > 0) {
      tables.push({
        id: `rtb-${suffix}-public`, vpcId: vpc.id, main: false, subnetIds: publicSubnets,
        internetGatewayId: `igw-${suffix}`, cidrBlock: vpc.cidrBlock,
      });
    }
  }
  return tables;
}

const ROUTE_TABLE_FIELDS: FilterFields<DerivedRouteTable> = {
  'route-table-id': (t) => [t.id],
  'vpc-id': (t) => [t.vpcId],
  'association.subnet-id': (t) => t.subnetIds,
  'association.main': (t) => [String(t.main)],
  'association.route-table-id': (t) => [t.id],
  'route.gateway-id': (t) => ['local', t.internetGatewayId],
};

function describeRouteTables(input: any, { world }: SimContext) {
  const derived = new Map(deriveRouteTables(world).map((t) => [t.id, t]));
  const selected = byIds(derived, input.RouteTableId, notFound('InvalidRouteTableID.NotFound', 'routeTable ID'));
  const { page: tables, nextToken } = page(applyFilters(selected, input.Filter, ROUTE_TABLE_FIELDS, () => ({})), input);
  return {
    routeTableSet: tables.map((t) => ({
      routeTableId: t.id,
      vpcId: t.vpcId,
      ownerId: world.accountId,
      routeSet: [
        { destinationCidrBlock: t.cidrBlock, gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' },
        ...(t.internetGatewayId
          ? [{ destinationCidrBlock: '0.0.0.0/0', gatewayId: t.internetGatewayId, state: 'active', origin: 'CreateRoute' }]
          : []),
      ],
      associationSet: t.main
        ? [{ routeTableAssociationId: `rtbassoc-${t.id.slice(4)}`, routeTableId: t.id, main: true, associationState: { state: 'associated' } }]
        : t.subnetIds.map((subnetId) => ({
            routeTableAssociationId: `rtbassoc-${stripPrefix(subnetId, 'subnet-')}`, routeTableId: t.id, subnetId, main: false,
            associationState: { state: 'associated' },
          })),
      propagatingVgwSet: [],
      tagSet: [],
    })),
    nextToken,
  };
}

// ---- DescribeSecurityGroups --------------------------------------------------------------------------------

const SECURITY_GROUP_FIELDS: FilterFields<SimSecurityGroup> = {
  'group-id': (g) => [g.id],
  'group-name': (g) => [g.name],
  'vpc-id': (g) => [g.vpcId],
  description: (g) => [g.name],
};

function describeSecurityGroups(input: any, { world }: SimContext) {
  let selected = byIds(world.securityGroups, input.GroupId, notFound('InvalidGroup.NotFound', 'security group'));
  const names = list<string>(input.GroupName).map(String);
  if (names.length > 0) {
    const missing = names.filter((n) => !selected.some((g) => g.name === n));
    if (missing.length > 0) throw new AwsError('InvalidGroup.NotFound', `The security group '${missing[0]}' does not exist in default VPC`);
    selected = selected.filter((g) => names.includes(g.name));
  }
  const { page: groups, nextToken } = page(applyFilters(selected, input.Filter, SECURITY_GROUP_FIELDS, (g) => g.tags), input);
  return {
    securityGroupInfo: groups.map((g) => ({
      ownerId: world.accountId,
      groupId: g.id,
      groupName: g.name,
      groupDescription: g.name,
      vpcId: g.vpcId,
      securityGroupArn: `arn:aws:ec2:${world.region}:${world.accountId}:security-group/${g.id}`,
      ipPermissions: [],
      ipPermissionsEgress: [{ ipProtocol: '-1', ipRanges: [{ cidrIp: '0.0.0.0/0' }] }],
      tagSet: tagSet(g.tags),
    })),
    nextToken,
  };
}

// ---- DescribeVpcs ------------------------------------------------------------------------------------------

const VPC_FIELDS: FilterFields<SimVpc> = {
  'vpc-id': (v) => [v.id],
  'cidr-block': (v) => [v.cidrBlock],
  cidr: (v) => [v.cidrBlock],
  state: () => ['available'],
  'is-default': () => ['false'],
};

function describeVpcs(input: any, { world }: SimContext) {
  const selected = byIds(allVpcs(world), input.VpcId, notFound('InvalidVpcID.NotFound', 'vpc ID'));
  const { page: vpcs, nextToken } = page(applyFilters(selected, input.Filter, VPC_FIELDS, () => ({})), input);
  return {
    vpcSet: vpcs.map((v) => ({
      vpcId: v.id,
      ownerId: world.accountId,
      state: 'available',
      cidrBlock: v.cidrBlock,
      cidrBlockAssociationSet: [{ associationId: `vpc-cidr-assoc-${stripPrefix(v.id, 'vpc-')}`, cidrBlock: v.cidrBlock, cidrBlockState: { state: 'associated' } }],
      dhcpOptionsId: 'dopt-simulated',
      instanceTenancy: 'default',
      isDefault: false,
      tagSet: [],
    })),
    nextToken,
  };
}

export const ec2Service: ServiceDefinition = {
  name: 'ec2',
  protocol: 'ec2',
  handlers: {
    DescribeInstances: describeInstances,
    DescribeSubnets: describeSubnets,
    DescribeRouteTables: describeRouteTables,
    DescribeSecurityGroups: describeSecurityGroups,
    DescribeVpcs: describeVpcs,
  },
  mutating: new Set(),
};
