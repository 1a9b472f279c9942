import * as pulumi from '@pulumi/pulumi';
import type * as gcp from '@pulumi/gcp';

/** The resource types the tests read, with the arguments the program gives them. */
interface Kinds {
  'gcp:artifactregistry/repository:Repository': gcp.artifactregistry.RepositoryArgs;
  'gcp:bigquery/dataset:Dataset': gcp.bigquery.DatasetArgs;
  'gcp:bigquery/datasetIamMember:DatasetIamMember': gcp.bigquery.DatasetIamMemberArgs;
  'gcp:bigquery/table:Table': gcp.bigquery.TableArgs;
  'gcp:cloudrunv2/service:Service': gcp.cloudrunv2.ServiceArgs;
  'gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding': gcp.cloudrunv2.ServiceIamBindingArgs;
  'gcp:cloudscheduler/job:Job': gcp.cloudscheduler.JobArgs;
  'gcp:compute/backendService:BackendService': gcp.compute.BackendServiceArgs;
  'gcp:compute/globalForwardingRule:GlobalForwardingRule': gcp.compute.GlobalForwardingRuleArgs;
  'gcp:compute/managedSslCertificate:ManagedSslCertificate': gcp.compute.ManagedSslCertificateArgs;
  'gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup': gcp.compute.RegionNetworkEndpointGroupArgs;
  'gcp:compute/securityPolicy:SecurityPolicy': gcp.compute.SecurityPolicyArgs;
  'gcp:compute/sSLPolicy:SSLPolicy': gcp.compute.SSLPolicyArgs;
  'gcp:compute/targetHttpsProxy:TargetHttpsProxy': gcp.compute.TargetHttpsProxyArgs;
  'gcp:compute/uRLMap:URLMap': gcp.compute.URLMapArgs;
  'gcp:firestore/database:Database': gcp.firestore.DatabaseArgs;
  'gcp:firestore/field:Field': gcp.firestore.FieldArgs;
  'gcp:firestore/index:Index': gcp.firestore.IndexArgs;
  'gcp:logging/metric:Metric': gcp.logging.MetricArgs;
  'gcp:monitoring/alertPolicy:AlertPolicy': gcp.monitoring.AlertPolicyArgs;
  'gcp:monitoring/dashboard:Dashboard': gcp.monitoring.DashboardArgs;
  'gcp:monitoring/notificationChannel:NotificationChannel': gcp.monitoring.NotificationChannelArgs;
  'gcp:projects/iAMMember:IAMMember': gcp.projects.IAMMemberArgs;
  'gcp:projects/service:Service': gcp.projects.ServiceArgs;
  'gcp:pubsub/subscription:Subscription': gcp.pubsub.SubscriptionArgs;
  'gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember': gcp.pubsub.SubscriptionIAMMemberArgs;
  'gcp:pubsub/topic:Topic': gcp.pubsub.TopicArgs;
  'gcp:pubsub/topicIAMMember:TopicIAMMember': gcp.pubsub.TopicIAMMemberArgs;
  'gcp:secretmanager/secret:Secret': gcp.secretmanager.SecretArgs;
  'gcp:secretmanager/secretIamMember:SecretIamMember': gcp.secretmanager.SecretIamMemberArgs;
  'gcp:secretmanager/secretVersion:SecretVersion': gcp.secretmanager.SecretVersionArgs;
  'gcp:serviceaccount/account:Account': gcp.serviceaccount.AccountArgs;
  'gcp:serviceaccount/iAMMember:IAMMember': gcp.serviceaccount.IAMMemberArgs;
}

export interface Declared<Inputs = Record<string, unknown>> {
  type: string;
  name: string;
  id: string;
  custom: boolean;
  inputs: Inputs;
  /** What the mock cloud answered: the inputs plus the outputs Google would compute. */
  state: Record<string, unknown>;
}

export const project = 'acme-orders';
export const edgeAddress = '34.117.42.7';
export const pubsubAgentEmail = 'service-123456789@gcp-sa-pubsub.iam.gserviceaccount.com';

/** Every resource one run of a program declared. */
export class Declarations {
  constructor(readonly all: readonly Declared[]) {}

  ofType<K extends keyof Kinds>(type: K): Declared<pulumi.Unwrap<Kinds[K]>>[] {
    return this.all.filter((r) => r.type === type) as Declared<pulumi.Unwrap<Kinds[K]>>[];
  }

  /** The one resource of that type whose `field` input is `value`; fails otherwise. */
  one<K extends keyof Kinds>(
    type: K,
    field: string,
    value: unknown,
  ): Declared<pulumi.Unwrap<Kinds[K]>> {
    const found = this.ofType(type).filter(
      (r) => (r.inputs as Record<string, unknown>)[field] === value,
    );
    if (found.length !== 1) {
      throw new Error(
        `expected one ${type} with ${field} = ${String(value)}, found ${found.length}`,
      );
    }
    return found[0]!;
  }
}

/**
 * Runs a Pulumi program against Pulumi's mocks and returns what it declared.
 * Mocks must be in place before the program's modules run, so `program` imports them.
 */
export async function declare<T>(
  config: Record<string, string>,
  secretKeys: string[],
  program: () => Promise<T>,
): Promise<{ declared: Declarations; result: T }> {
  const all: Declared[] = [];
  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource({ type, name, inputs: wrapped, custom }) {
        const inputs = revealed(wrapped) as Record<string, unknown>;
        const { id, outputs } = cloud(type, name, inputs);
        const state = { ...inputs, ...outputs };
        all.push({ type, name, id, custom: custom ?? true, inputs, state });
        return { id, state };
      },
      call({ token }) {
        throw new Error(`the program should not call ${token}`);
      },
    },
    'orderflow',
    'test',
    false,
  );
  const result = await program();
  await pulumi.runtime.disconnect();
  return { declared: new Declarations(all), result };
}

/** The inputs with every secret shown in the clear, wherever it sits, so tests can look for it. */
function revealed(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return revealed(pulumi.runtime.unwrapRpcSecret(value));
  if (Array.isArray(value)) return value.map(revealed);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealed(v)]));
  }
  return value;
}

/** The outputs Google Cloud computes for a resource, as far as the program uses them. */
function cloud(type: string, name: string, inputs: Record<string, unknown>) {
  const input = (key: string) => String(inputs[key]);
  switch (type) {
    case 'gcp:serviceaccount/account:Account': {
      const email = `${input('accountId')}@${project}.iam.gserviceaccount.com`;
      return {
        id: email,
        outputs: {
          email,
          member: `serviceAccount:${email}`,
          name: `projects/${project}/serviceAccounts/${email}`,
        },
      };
    }
    case 'gcp:projects/serviceIdentity:ServiceIdentity':
      return {
        id: pubsubAgentEmail,
        outputs: { email: pubsubAgentEmail, member: `serviceAccount:${pubsubAgentEmail}` },
      };
    case 'gcp:cloudrunv2/service:Service':
      return {
        id: input('name'),
        outputs: { uri: `https://${input('name')}-x7k2p9q4ra-ew.a.run.app` },
      };
    case 'gcp:pubsub/topic:Topic':
      return { id: `projects/${project}/topics/${input('name')}`, outputs: {} };
    case 'gcp:pubsub/subscription:Subscription':
      return { id: `projects/${project}/subscriptions/${input('name')}`, outputs: {} };
    case 'gcp:artifactregistry/repository:Repository':
      return {
        id: input('repositoryId'),
        outputs: {
          registryUri: `${input('location')}-docker.pkg.dev/${project}/${input('repositoryId')}`,
        },
      };
    case 'gcp:secretmanager/secret:Secret':
      return {
        id: `projects/${project}/secrets/${input('secretId')}`,
        outputs: { name: `projects/${project}/secrets/${input('secretId')}` },
      };
    case 'gcp:secretmanager/secretVersion:SecretVersion':
      return { id: `${input('secret')}/versions/3`, outputs: { version: '3' } };
    case 'gcp:compute/globalAddress:GlobalAddress':
      return { id: name, outputs: { address: edgeAddress } };
    case 'gcp:monitoring/notificationChannel:NotificationChannel':
      return {
        id: `projects/${project}/notificationChannels/42`,
        outputs: { name: `projects/${project}/notificationChannels/42` },
      };
    default:
      return { id: `${name}-id`, outputs: {} };
  }
}
