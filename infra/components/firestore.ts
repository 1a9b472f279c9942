import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface FirestoreArgs {
  project: string;
  location: string;
  /** IAM members that read and write documents, by a name for each grant. */
  users: Readonly<Record<string, pulumi.Input<string>>>;
  /** The outbox collections: each gets the relay's index and the TTL of published entries. */
  outboxes: readonly string[];
  deletionProtection: boolean;
}

/** A field's order, or `CONTAINS` for an array field queried with array-contains. */
type IndexField = [fieldPath: string, order: 'ASCENDING' | 'DESCENDING' | 'CONTAINS'];

/** A composite index the queries need, named for the query it serves. */
interface CompositeIndex {
  name: string;
  collection: string;
  fields: IndexField[];
}

/**
 * The `(default)` Firestore database in native mode, the indexes its queries need, the expiry of
 * idempotency keys and published outbox entries, and who uses it.
 */
export class Firestore extends pulumi.ComponentResource {
  constructor(name: string, args: FirestoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:Firestore', name, {}, opts);
    const database = new gcp.firestore.Database(
      `${name}-database`,
      {
        name: '(default)',
        locationId: args.location,
        type: 'FIRESTORE_NATIVE',
        pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_ENABLED',
        deleteProtectionState: args.deletionProtection
          ? 'DELETE_PROTECTION_ENABLED'
          : 'DELETE_PROTECTION_DISABLED',
        deletionPolicy: args.deletionProtection ? 'ABANDON' : 'DELETE',
      },
      { parent: this },
    );

    const indexes: CompositeIndex[] = [
      // Each outbox relay: where('publishedAt', '==', null).orderBy('createdAt').
      ...args.outboxes.map((collection) => ({
        name: `${collection}-unpublished`,
        collection,
        fields: [
          ['publishedAt', 'ASCENDING'],
          ['createdAt', 'ASCENDING'],
        ] satisfies IndexField[],
      })),
      // Each reconciler (libs/subscriber, FirestoreEventArchive.committed):
      // where('event.type', '==', t).where('createdAt', '>', a).where('createdAt', '<=', b).orderBy('createdAt').
      ...args.outboxes.map((collection) => ({
        name: `${collection}-by-type`,
        collection,
        fields: [
          ['event.type', 'ASCENDING'],
          ['createdAt', 'ASCENDING'],
        ] satisfies IndexField[],
      })),
      // The seller's sweep (libs/subscriber, dueParts):
      // where('subscriber', '==', s).where('partsDueAt', '<=', now).orderBy('partsDueAt').
      {
        name: 'deliveries-parts-due',
        collection: 'deliveries',
        fields: [
          ['subscriber', 'ASCENDING'],
          ['partsDueAt', 'ASCENDING'],
        ],
      },
      // The reconciler (libs/subscriber, stalled): where('subscriber', '==', s)
      // .where('state', 'in', […]).where('updatedAt', '<=', before).orderBy('updatedAt').
      {
        name: 'deliveries-unfinished',
        collection: 'deliveries',
        fields: [
          ['subscriber', 'ASCENDING'],
          ['state', 'ASCENDING'],
          ['updatedAt', 'ASCENDING'],
        ],
      },
      // GET /orders and the console's search by customer:
      // where('customer.id', '==', id).orderBy('createdAt', 'desc'), then by id.
      {
        name: 'orders-by-customer',
        collection: 'orders',
        fields: [
          ['customer.id', 'ASCENDING'],
          ['createdAt', 'DESCENDING'],
          ['__name__', 'DESCENDING'],
        ],
      },
      // GET /seller/orders: where('sellerIds', 'array-contains', id).orderBy('createdAt', 'desc'),
      // then by id.
      {
        name: 'orders-by-seller',
        collection: 'orders',
        fields: [
          ['sellerIds', 'CONTAINS'],
          ['createdAt', 'DESCENDING'],
          ['__name__', 'DESCENDING'],
        ],
      },
    ];
    for (const index of indexes) {
      new gcp.firestore.Index(
        `${name}-${index.name}`,
        {
          database: database.name,
          collection: index.collection,
          queryScope: 'COLLECTION',
          fields: index.fields.map(([fieldPath, order]) =>
            order === 'CONTAINS' ? { fieldPath, arrayConfig: order } : { fieldPath, order },
          ),
        },
        { parent: this },
      );
    }

    // Firestore's TTL deletes what has expired: idempotency keys after 24 hours (the order
    // service checks `expiresAt` itself), outbox entries 7 days after they were published.
    for (const collection of ['idempotencyKeys', ...args.outboxes]) {
      new gcp.firestore.Field(
        `${name}-${collection}-ttl`,
        { database: database.name, collection, field: 'expiresAt', ttlConfig: {}, indexConfig: {} },
        { parent: this },
      );
    }

    // Granted on the project, as Firestore has no per-database IAM policy, but only for this
    // database (an IAM condition on its resource name): a database added to the project later
    // is not readable by the services. https://cloud.google.com/firestore/docs/security/iam
    const condition = {
      title: 'orderflow-database-only',
      description: 'Only the database of the order flow',
      expression: pulumi.interpolate`resource.name == "projects/${args.project}/databases/${database.name}"`,
    };
    for (const [user, member] of Object.entries(args.users)) {
      new gcp.projects.IAMMember(
        `${name}-user-${user}`,
        { project: args.project, role: 'roles/datastore.user', member, condition },
        { parent: this, dependsOn: [database] },
      );
    }
    this.registerOutputs({});
  }
}
