import { readFileSync } from 'node:fs';
import { project } from './mocks.js';

const projectFile = new URL('../../Pulumi.yaml', import.meta.url);

/**
 * The `default:` of every key declared under `config:` in Pulumi.yaml, as the string
 * Pulumi hands the program. Reads only the flat shape that file uses.
 */
export function declaredDefaults(): Record<string, string> {
  const defaults: Record<string, string> = {};
  let inConfig = false;
  let key: string | undefined;
  for (const line of readFileSync(projectFile, 'utf8').split('\n')) {
    if (/^\S/.test(line)) inConfig = line.startsWith('config:');
    if (!inConfig) continue;
    const declared = /^ {2}(\w+):\s*$/.exec(line);
    if (declared) key = declared[1];
    const fallback = /^ {4}default:\s*(.*)$/.exec(line);
    if (fallback && key) defaults[key] = unquote(fallback[1]!.trim());
  }
  return defaults;
}

function unquote(value: string): string {
  return /^(["'])(.*)\1$/.exec(value)?.[2] ?? value;
}

/** An example stack: Pulumi.yaml's defaults and the values a stack must set. */
export function stackConfig(overrides: Record<string, string> = {}): {
  config: Record<string, string>;
  secretKeys: string[];
} {
  const values: Record<string, string> = {
    ...declaredDefaults(),
    imageTag: '3f9c2ab',
    mailFrom: 'orders@acme.example',
    alertEmail: 'oncall@acme.example',
    operators: '["group:platform@acme.example"]',
    analysts: '["group:analysts@acme.example"]',
    corsOrigins: '["https://shop.acme.example","https://admin.acme.example"]',
    smtpUrl: smtpUrl,
    webhookMasterKey: webhookMasterKey,
    ...overrides,
  };
  return {
    config: {
      'gcp:project': project,
      ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`orderflow:${k}`, v])),
    },
    secretKeys: ['orderflow:smtpUrl', 'orderflow:webhookMasterKey'],
  };
}

export const smtpUrl = 'smtps://mailer:hunter2@smtp.acme.example:465';
export const webhookMasterKey = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
