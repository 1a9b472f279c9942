/**
 * The headers of an export to Google's Telemetry API: an OAuth access token of the service's
 * identity, refreshed by google-auth-library as it nears expiry, and the project to bill.
 */
export async function googleAuthHeaders(
  project: string,
): Promise<() => Promise<Record<string, string>>> {
  // Imported here, once telemetry is on: a service without it never loads the library early.
  const { GoogleAuth } = await import('google-auth-library');
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  return async () => {
    const headers = await auth.getRequestHeaders();
    return { ...Object.fromEntries(headers.entries()), 'x-goog-user-project': project };
  };
}
