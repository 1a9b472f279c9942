import { localSystem } from '../fixture.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function call(
  method: string,
  path: string,
  options: { token?: string; body?: string | object; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const response = await fetch(`${localSystem().urls.orderApi}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

export const placeOrder = (
  token: string,
  items: { productId: string; quantity: number }[],
  headers?: Record<string, string>,
) => call('POST', '/orders', { token, body: { items }, ...(headers ? { headers } : {}) });

export async function stockOf(productId: string): Promise<number | undefined> {
  const { body } = await call('GET', '/products');
  const products = body.products as { id: string; stock: number }[];
  return products.find((p) => p.id === productId)?.stock;
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}
