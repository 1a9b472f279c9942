import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { GcpConfig } from '@orderflow/platform';
import {
  recordOf,
  rotationOf,
  webhookSecretsCollection,
  type WebhookSecretRecord,
} from '@orderflow/seller/adapters/webhook-secret-records';
import { rotate, type SecretRotation } from '@orderflow/seller/domain/secret-rotation';
import { sellerSecret, webhookKeyProblem } from '@orderflow/seller/webhook-secrets';
import { localWebhookMasterKey } from '../local/config.js';

/** The Secret Manager secret that holds the master key (infra/services.ts declares it). */
export const masterKeySecret = 'webhook-master-key';

/** The master key: the local one for the emulators, else the latest version in Secret Manager. */
export async function masterKeyOf(config: GcpConfig): Promise<string> {
  if (config.FIRESTORE_EMULATOR_HOST) return localWebhookMasterKey;
  const client = new SecretManagerServiceClient();
  try {
    const name = `projects/${config.GOOGLE_CLOUD_PROJECT}/secrets/${masterKeySecret}/versions/latest`;
    const [version] = await client.accessSecretVersion({ name });
    const key = version.payload?.data?.toString() ?? '';
    const problem = webhookKeyProblem(key);
    if (problem) throw new Error(`${name} is not a whsec_ key: ${problem}`);
    return key;
  } finally {
    await client.close();
  }
}

export interface IssuedSecret {
  sellerId: string;
  version: number;
  secret: string;
  /** The version still signing beside it, and until when. */
  previous?: { version: number; until: Date } | undefined;
}

export class SecretAlreadyShown extends Error {}

/**
 * Shows the seller's current secret, once: a transaction records the version as shown, so two
 * operators at once cannot both print it. Afterwards only a rotation issues a secret again.
 */
export function showSecret(db: Firestore, masterKey: string, sellerId: string, now: Date) {
  return issue(db, masterKey, sellerId, now, (rotation, record) => {
    if (record?.shownVersion === rotation.version) {
      const at = record.shownAt?.toDate().toISOString() ?? 'before';
      throw new SecretAlreadyShown(
        `version ${rotation.version} of ${sellerId}'s secret was shown at ${at}; rotate to issue a new one`,
      );
    }
    return rotation;
  });
}

/** Issues the next version and shows it; the current one keeps signing for `overlapMs`. */
export function rotateSecret(
  db: Firestore,
  masterKey: string,
  sellerId: string,
  now: Date,
  overlapMs: number,
) {
  return issue(db, masterKey, sellerId, now, (rotation) => rotate(rotation, now, overlapMs));
}

async function issue(
  db: Firestore,
  masterKey: string,
  sellerId: string,
  now: Date,
  next: (rotation: SecretRotation, record: WebhookSecretRecord | undefined) => SecretRotation,
): Promise<IssuedSecret> {
  const sellerRef = db.collection('sellers').doc(sellerId);
  const secretRef = db.collection(webhookSecretsCollection).doc(sellerId);
  const rotation = await db.runTransaction(async (tx) => {
    const [seller, secret] = await tx.getAll(sellerRef, secretRef);
    if (!seller?.exists) throw new Error(`no seller ${sellerId}`);
    const record = secret?.data() as WebhookSecretRecord | undefined;
    const issued = next(rotationOf(record), record);
    const shown = { shownVersion: issued.version, shownAt: Timestamp.fromDate(now) };
    tx.set(secretRef, { ...recordOf(issued), ...shown });
    return issued;
  });
  return {
    sellerId,
    version: rotation.version,
    secret: sellerSecret(masterKey, sellerId, rotation.version),
    previous: rotation.previous,
  };
}
