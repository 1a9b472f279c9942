import type { GoogleAuth } from 'google-auth-library';

/**
 * The headers of an export to Google's Telemetry API: an OAuth access token of the service's
 * identity, refreshed by google-auth-library as it nears expiry, and the project to bill.
 */
export function googleAuthHeaders(project: string): () => Promise<Record<string, string>> {
  // Loaded by the first export, not by the preload: a start does not wait for the library.
  let auth: Promise<GoogleAuth> | undefined;
  return async () => {
    auth ??= import('google-auth-library').then(
      ({ GoogleAuth }) =>
        new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] }),
    );
    const headers = await (await auth).getRequestHeaders();
    return { ...Object.fromEntries(headers.entries()), 'x-goog-user-project': project };
  };
}
