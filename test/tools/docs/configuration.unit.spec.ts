import { readFile } from 'node:fs/promises';
import { oidcCallerConfig } from '@orderflow/platform';
import { configurationFile, configurationReference } from '@orderflow/tools/docs/configuration';
import { variables } from '@orderflow/tools/docs/variables';
import { expect } from 'chai';
import * as z from 'zod';

describe('the configuration reference', () => {
  it('is docs/configuration.md as the schemas and Pulumi.yaml give it today', async () => {
    const written = await readFile(configurationFile, 'utf8');
    expect(written === (await configurationReference()), 'run `npm run docs:config`').to.equal(
      true,
    );
  });

  it('gives each variable its type, default or whether it is required, secrecy and meaning', () => {
    const schema = z.intersection(
      z.object({
        PORT: z.coerce.number().int().min(1).default(8080).describe('The port.'),
        KEY: z.string().meta({ secret: true }).describe('The key.'),
        LEVEL: z.enum(['info', 'error']).optional().describe('The level.'),
      }),
      oidcCallerConfig('CALLER_AUTH', ['oidc'], 'the endpoint'),
    );
    const rows = variables(schema).map((v) => [v.name, v.type, v.presence, v.secret]);
    expect(rows).to.deep.equal([
      ['PORT', 'integer ≥ 1', '`8080`', false],
      ['KEY', 'string', 'required', true],
      ['LEVEL', '`info`, `error`', 'optional', false],
      ['CALLER_AUTH', '`off`, `oidc`', 'required', false],
      ['PUBSUB_EMULATOR_HOST', 'string', 'optional', false],
      ['CALLER_AUTH_AUDIENCE', 'string', 'required unless CALLER_AUTH=off', false],
      ['CALLER_AUTH_SERVICE_ACCOUNT', 'e-mail address', 'required unless CALLER_AUTH=off', false],
      ['CALLER_AUTH_JWKS_URL', 'URL', 'optional', false],
    ]);
  });

  it('refuses a variable whose schema does not say what it means', () => {
    const schema = z.object({ PORT: z.coerce.number().default(8080) });
    expect(() => variables(schema)).to.throw('PORT has no description');
  });
});
