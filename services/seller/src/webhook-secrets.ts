import { hkdfSync } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import * as z from 'zod';

/**
 * Standard Webhooks keys (https://www.standardwebhooks.com): `whsec_` and the base64 of a random
 * key of 24 to 64 bytes. Every seller has its own, derived from one master key (see the README,
 * "Webhook secrets"), so the service holds one secret and a rotation is a version bump.
 */
const prefix = 'whsec_';
const minBytes = 24;
const maxBytes = 64;

/** Why `text` is not a Standard Webhooks key, or undefined when it is one. */
export function webhookKeyProblem(text: string): string | undefined {
  if (!text.startsWith(prefix)) return `it must start with ${prefix}`;
  const encoded = text.slice(prefix.length);
  const key = Buffer.from(encoded, 'base64');
  // Node's decoder skips what is not base64; re-encoding shows whether anything was skipped.
  if (key.toString('base64') !== encoded) return `what follows ${prefix} must be base64`;
  if (key.length < minBytes || key.length > maxBytes)
    return `its key must be ${minBytes} to ${maxBytes} bytes, not ${key.length}`;
  return undefined;
}

/** A setting that holds a Standard Webhooks key; a bad one stops the service at start-up. */
export const webhookKey = z.string().superRefine((text, context) => {
  const problem = webhookKeyProblem(text);
  if (problem) context.addIssue({ code: 'custom', message: `not a whsec_ key: ${problem}` });
});

/**
 * The seller's signing secret of one version: HKDF-SHA256 (RFC 5869) of the master key, its
 * info naming seller and version. Seller ids cannot hold `/`, so no two pairs share an info.
 */
export function sellerSecret(masterKey: string, sellerId: string, version: number): string {
  const master = Buffer.from(masterKey.slice(prefix.length), 'base64');
  const info = `orderflow/webhook-secret/${sellerId}/v${version}`;
  return prefix + Buffer.from(hkdfSync('sha256', master, '', info, 32)).toString('base64');
}

/** The `webhook-signature` header: one `v1,` signature per secret, space-separated, as the spec says. */
export function webhookSignature(
  secrets: readonly string[],
  id: string,
  timestamp: Date,
  body: string,
): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' ');
}
