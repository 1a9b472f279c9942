import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a seller's webhook may point. `public`: https to a public address only, so that a seller
 * cannot make the service call its own network, the metadata server (169.254.169.254, link-local)
 * or localhost (SSRF). `any`: the local system, whose stand-in listens on http://127.0.0.1.
 */
export type WebhookTargets = 'public' | 'any';

/** The range an address is in, if it is not a public unicast one (ipaddr.js's range names). */
export function nonPublicRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'invalid';
  // process() turns ::ffff:10.0.0.1 into 10.0.0.1, so a mapped address is judged as IPv4.
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? undefined : range;
}

/** Why a webhook URL is refused, or undefined; the addresses a name resolves to are checked on connect. */
export function webhookUrlProblem(url: string, targets: WebhookTargets): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.username || parsed.password) return 'credentials in the URL';
  if (targets === 'any')
    return ['http:', 'https:'].includes(parsed.protocol) ? undefined : 'http(s) only';
  if (parsed.protocol !== 'https:') return 'https only';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    const range = nonPublicRange(host);
    return range ? `${host} is a ${range} address` : undefined;
  }
  if (host === 'localhost' || /\.(localhost|internal)$/.test(host)) return `${host} is not public`;
  return undefined;
}

/** Every address of a name, as `dns.lookup` with `all: true` gives them. */
export type Resolver = (
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const resolveAll: Resolver = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, callback);
};

/**
 * A `lookup` for the socket's own connect: the name is resolved once, for this connection, and
 * refused unless every address is public. Checking the URL before the call is not enough: the
 * name could resolve to a public address for the check and to a private one for the connect
 * (DNS rebinding). `resolve` is replaceable for tests.
 */
export function publicOnlyLookup(resolve: Resolver = resolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options, (error, addresses) => {
      if (error) {
        callback(error, '');
        return;
      }
      const [first] = addresses;
      const refused = addresses.find((a) => nonPublicRange(a.address));
      if (refused || !first) {
        const why = refused
          ? `${refused.address}, a ${nonPublicRange(refused.address)} address`
          : 'nothing';
        const refusal = new Error(`webhook host ${hostname} resolves to ${why}`);
        callback(Object.assign(refusal, { code: 'EADDRNOTPUBLIC' }), '');
        return;
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
