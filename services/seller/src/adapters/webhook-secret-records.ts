import type { DocumentData, Timestamp } from '@google-cloud/firestore';
import { firestoreLibrary } from '@orderflow/platform';
import { firstSecret, type SecretRotation } from '../domain/secret-rotation.js';

/**
 * `webhookSecrets/{sellerId}`: which secret versions sign the seller's webhooks, and which
 * version was shown to the seller. Apart from `sellers/{id}` so that seeding a catalog never
 * resets a rotation; no document means version 1, never shown.
 */
export const webhookSecretsCollection = 'webhookSecrets';

export interface WebhookSecretRecord {
  version: number;
  previousVersion?: number;
  previousUntil?: Timestamp;
  /** The last version `webhook-secret` printed: each version is shown once. */
  shownVersion?: number;
  shownAt?: Timestamp;
}

export function rotationOf(data: DocumentData | undefined): SecretRotation {
  if (!data) return firstSecret;
  const record = data as WebhookSecretRecord;
  return {
    version: record.version,
    ...(record.previousVersion !== undefined && record.previousUntil
      ? { previous: { version: record.previousVersion, until: record.previousUntil.toDate() } }
      : {}),
  };
}

export function recordOf(rotation: SecretRotation): WebhookSecretRecord {
  return {
    version: rotation.version,
    ...(rotation.previous
      ? {
          previousVersion: rotation.previous.version,
          previousUntil: firestoreLibrary().Timestamp.fromDate(rotation.previous.until),
        }
      : {}),
  };
}
