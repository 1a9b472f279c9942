import * as z from 'zod';
import type { GoogleOidcOptions } from './google-oidc.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment once, reporting every problem at the same time. Without zod's JIT: it
 * would compile a fast path for each object schema on its first parse, here the only one (about
 * 3 ms of a service's cold start for its two configurations).
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const result = schema.safeParse(env, { jitless: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join('.')}: ${missing(issue, env) ? 'required' : issue.message}`,
  );
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/**
 * A setting that is absent and has no default: zod would describe what coercing nothing gave
 * (`expected number, received NaN`), which hides that the variable is simply not set. Only a
 * type issue is absence; any other issue on an unset variable (a rule across settings that its
 * default breaks) keeps its own message.
 */
function missing(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): boolean {
  const [name] = issue.path;
  return (
    issue.code === 'invalid_type' &&
    issue.path.length === 1 &&
    typeof name === 'string' &&
    env[name] === undefined
  );
}

/** For `main.ts`: the only place that reads `process.env`. Bad configuration stops the process. */
export function loadConfig<S extends z.ZodType>(schema: S): z.output<S> {
  try {
    return parseConfig(schema, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

const hostPort = z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port');

export const port = (fallback: number) =>
  z.coerce.number().int().min(1).max(65535).default(fallback);

/** What every service needs to reach Google Cloud, or the emulators standing in for it. */
export const gcpConfig = z.object({
  GOOGLE_CLOUD_PROJECT: z
    .string()
    .min(1)
    .describe('The Google Cloud project of Firestore and Pub/Sub.'),
  FIRESTORE_EMULATOR_HOST: hostPort
    .optional()
    .describe('Local only: the Firestore emulator; unset on Google Cloud.'),
  PUBSUB_EMULATOR_HOST: hostPort
    .optional()
    .describe('Local only: the Pub/Sub emulator; unset on Google Cloud.'),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warning', 'error'])
    .default('info')
    .describe('The lowest severity logged.'),
});
export type GcpConfig = z.output<typeof gcpConfig>;

/** The settings of a service that sends mail. */
export const mailConfig = {
  SMTP_URL: z
    .url()
    .meta({ secret: true })
    .describe('The SMTP server, with its credentials (Secret Manager on Google Cloud).'),
  MAIL_FROM: z
    .string()
    .min(1)
    .default('Orderflow <orders@orderflow.example>')
    .describe('The sender of every mail.'),
};

/**
 * Who may call an internal endpoint, from `<NAME>`: `off` (only with the Pub/Sub emulator, which
 * pushes without a token, as does the local relay loop; refused without PUBSUB_EMULATOR_HOST), or one of `modes` with `<NAME>_AUDIENCE` and
 * `<NAME>_SERVICE_ACCOUNT`, the one service account whose Google ID token is accepted, and
 * optionally `<NAME>_JWKS_URL` (Google's keys unless a local stand-in's). `cloud-run` is for a
 * private Cloud Run service only: see `verifyGoogleOidc`. Parses to `{ <NAME>: options }` for
 * `verifyGoogleOidc`, or `{ <NAME>: undefined }` when off.
 */
export function oidcCallerConfig<const Name extends string>(
  name: Name,
  modes: readonly [GoogleOidcOptions['mode'], ...GoogleOidcOptions['mode'][]] = ['oidc'],
  endpoint = 'the endpoint',
) {
  const audience = `${name}_AUDIENCE`;
  const serviceAccount = `${name}_SERVICE_ACCOUNT`;
  const jwksUrl = `${name}_JWKS_URL`;
  return z
    .discriminatedUnion(name, [
      z.object({
        [name]: z
          .literal('off')
          .describe(
            `Who may call ${endpoint}: ${modes.map((m) => callerModes[m]).join('; ')}; ` +
              '`off`, anyone: with the emulators only.',
          ),
        PUBSUB_EMULATOR_HOST: z
          .string()
          .optional()
          .describe('The Pub/Sub emulator, which `off` needs.'),
      }),
      z.object({
        [name]: z.enum(modes),
        [audience]: z.string().min(1).describe(`The audience of the caller's token.`),
        [serviceAccount]: z.email().describe('The one identity whose token is accepted.'),
        [jwksUrl]: z.url().optional().describe(`The keys that verify tokens; Google's when unset.`),
      }),
    ])
    .superRefine((env, ctx) => {
      if (env[name] === 'off' && env.PUBSUB_EMULATOR_HOST === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `${name}=off is for the local emulators only: set PUBSUB_EMULATOR_HOST locally, or another mode`,
        });
      }
    })
    .transform((env) => {
      const mode = env[name] as GoogleOidcOptions['mode'] | 'off';
      const options: GoogleOidcOptions | undefined =
        mode === 'off'
          ? undefined
          : {
              mode,
              audience: String(env[audience]),
              serviceAccount: String(env[serviceAccount]),
              ...(env[jwksUrl] ? { jwksUrl: env[jwksUrl] } : {}),
            };
      return { [name]: options } as Record<Name, GoogleOidcOptions | undefined>;
    });
}

const callerModes: Record<GoogleOidcOptions['mode'], string> = {
  oidc: '`oidc`, a signed Google ID token of that identity',
  'cloud-run':
    '`cloud-run`, on a private Cloud Run service only, the token Cloud Run verified and passed on without its signature',
};

/** How an `oidcCallerConfig` setting shows in the start-up log. */
export const callerAuthSetting = (options: GoogleOidcOptions | undefined) =>
  options
    ? { mode: options.mode, audience: options.audience, serviceAccount: options.serviceAccount }
    : { mode: 'off (local emulators only)' };
