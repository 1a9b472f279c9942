import { expect } from 'chai';
import { localSystem } from '../fixture.js';
import { aCustomer, type TestCatalog } from './clients.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One request to the order API exactly as given: headers left unset are not sent, nothing parsed.
 * `origin` sends it elsewhere than the public front end, straight to one instance for example.
 */
export async function send(
  method: string,
  path: string,
  options: { headers?: Record<string, string | undefined>; body?: string; origin?: string } = {},
): Promise<RawResponse> {
  const headers = Object.entries(options.headers ?? {}).filter(
    (header): header is [string, string] => header[1] !== undefined,
  );
  const response = await fetch(`${options.origin ?? localSystem().urls.orderApi}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A request as a well-behaved client sends it: JSON in, JSON out. */
export async function call(
  method: string,
  path: string,
  options: {
    token?: string;
    body?: string | object;
    headers?: Record<string, string>;
    /** Straight to one order instance rather than through the public front end. */
    origin?: string;
  } = {},
): Promise<ApiResponse> {
  const { status, headers, text } = await send(method, path, {
    ...(options.origin ? { origin: options.origin } : {}),
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  // The front end's own answers (a 502 for an instance that died) are HTML pages.
  const json = text && /json/.test(headers.get('content-type') ?? '');
  return { status, headers, body: json ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export const placeOrder = (
  token: string,
  items: { productId: string; quantity: number }[],
  headers?: Record<string, string>,
) => call('POST', '/orders', { token, body: { items }, ...(headers ? { headers } : {}) });

/** A new customer orders one unit of each product of the catalog; the order's id. */
export async function anOrderOfEach(catalog: TestCatalog): Promise<string> {
  const customer = await aCustomer();
  const placed = await placeOrder(
    customer.token,
    catalog.products.map((p) => ({ productId: p.id, quantity: 1 })),
  );
  expect(placed.status).to.equal(201);
  return placed.body.id as string;
}

/** Follows `GET /products` page by page, as a client of the paged catalog would. */
export async function stockOf(productId: string): Promise<number | undefined> {
  let path: string | undefined = '/products?limit=100';
  while (path) {
    const { body } = await call('GET', path);
    const products = body.products as { id: string; stock: number }[];
    const found = products.find((p) => p.id === productId);
    if (found) return found.stock;
    const next = body.nextCursor as string | null;
    path = next ? `/products?limit=100&cursor=${encodeURIComponent(next)}` : undefined;
  }
  return undefined;
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}
