import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { googleAuthHeaders } from '@orderflow/telemetry/google-auth';

/**
 * The exports' credentials come from the metadata server, as on Cloud Run. Here a stand-in
 * answers at `GCE_METADATA_HOST`, the variable Google's libraries read for its address.
 */
describe('telemetry exports with Google credentials', () => {
  const saved: Record<string, string | undefined> = {};
  const tokenRequests: string[] = [];
  let metadata: Server;
  let configDir: string;

  before(async () => {
    metadata = createServer((request, response) => {
      tokenRequests.push(`${String(request.headers['metadata-flavor'])} ${request.url}`);
      response.setHeader('metadata-flavor', 'Google');
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({ access_token: 'ya29.test', expires_in: 3599, token_type: 'Bearer' }),
      );
    });
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    // No developer's gcloud credentials may stand in for the instance's.
    configDir = mkdtempSync(join(tmpdir(), 'gcloud-'));
    const env = {
      GCE_METADATA_HOST: `127.0.0.1:${(metadata.address() as AddressInfo).port}`,
      METADATA_SERVER_DETECTION: 'assume-present',
      CLOUDSDK_CONFIG: configDir,
      GOOGLE_APPLICATION_CREDENTIALS: undefined,
    };
    for (const [name, value] of Object.entries(env)) {
      saved[name] = process.env[name];
      setEnv(name, value);
    }
  });

  after(async () => {
    for (const [name, value] of Object.entries(saved)) setEnv(name, value);
    rmSync(configDir, { recursive: true, force: true });
    await new Promise((resolve) => metadata.close(resolve));
  });

  it("carry the service identity's access token and bill the project", async () => {
    const headers = await googleAuthHeaders('demo-project')();
    expect(headers).to.include({
      authorization: 'Bearer ya29.test',
      'x-goog-user-project': 'demo-project',
    });
    expect(tokenRequests.some((r) => r.startsWith('Google /computeMetadata/v1/'))).to.equal(true);
  });
});

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}
