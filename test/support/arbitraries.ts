import fc from 'fast-check';

/**
 * Generators of what a client controls, for the property tests: ids, bodies, header values and
 * paths, biased towards the strings that broke the API before (path separators, Firestore's
 * reserved ids, long and non-ASCII ids, malformed percent-encoding).
 */
const nasty = ['/', '.', '..', '__x__', '__', '%', '%2F', '%E0%A4%A', '\u0000', 'é', '😀', ' '];

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));

/** An id a client might send: real ones, near misses, and anything at all. */
export const anId = (known: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...known),
    fc.constantFrom(...nasty),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc
      .array(fc.constantFrom(...nasty, 'a', 'Z', '9', '-', '_'), { maxLength: 12 })
      .map((p) => p.join('')),
    fc.integer({ min: 120, max: 1600 }).map((n) => 'x'.repeat(n)),
  );

/** A JSON value where an order's body goes: valid orders, near misses and noise. */
export const aBody = (known: readonly string[]) => {
  const item = fc.record(
    {
      productId: fc.oneof(anId(known), fc.integer(), fc.constant(null)),
      quantity: fc.oneof(
        fc.integer({ min: -2, max: 1002 }),
        fc.double(),
        fc.string(),
        fc.constant(1),
      ),
      priceCents: fc.integer(),
    },
    { requiredKeys: ['productId', 'quantity'] },
  );
  return fc.oneof(
    fc.record({ items: fc.array(item, { maxLength: 4 }) }),
    fc.record({ items: fc.array(item, { minLength: 99, maxLength: 102 }) }),
    fc.jsonValue({ maxDepth: 3 }),
  );
};

/** What travels as a request body: JSON text, or bytes that are not JSON at all. */
export const aBodyText = (known: readonly string[]) =>
  fc.oneof(
    aBody(known).map((value) => JSON.stringify(value)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('', '{', '{"items":[', 'null', '[]', '"x"', '{"items":[]}'),
    fc
      .integer({ min: 16_000, max: 20_000 })
      .map((n) => JSON.stringify({ items: [], pad: 'x'.repeat(n) })),
  );

/** A header value Node's HTTP client will send: printable ASCII, often long. */
export const aHeaderValue = fc.oneof(
  fc.string({ unit: printable, maxLength: 64 }),
  fc.string({ unit: printable, minLength: 250, maxLength: 300 }),
);

export const aContentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=nonsense',
    'application/merge-patch+json',
    'text/plain',
    'multipart/form-data; boundary=x',
  ),
  aHeaderValue,
);

export const aContentEncoding = fc.option(
  fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-zip'),
  {
    nil: undefined,
  },
);

/**
 * A paging cursor as a client may forge it: base64url JSON of a position of either list with any
 * id (a cursor is opaque, not secret), or anything at all.
 */
export const aCursor = (known: readonly string[]) =>
  fc.oneof(
    fc
      .oneof(
        fc.record({ name: fc.string({ maxLength: 20 }), id: anId(known) }),
        fc.record({ createdAt: fc.date({ noInvalidDate: true }), id: anId(known) }),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map((position) => Buffer.from(JSON.stringify(position)).toString('base64url')),
    fc.string({ unit: printable, maxLength: 40 }),
  );

/** A path under the API, as a client may write it (percent-encoded or raw). */
export const aPath = (known: readonly string[]) =>
  fc.oneof(
    anId(known).map((id) => `/orders/${encodeURIComponent(id)}`),
    fc
      .tuple(fc.constantFrom('/orders', '/products'), aCursor(known))
      .map(([list, cursor]) => `${list}?cursor=${encodeURIComponent(cursor)}`),
    fc
      .array(
        fc.constantFrom(
          ...nasty.filter((s) => /^[\x21-\x7e]+$/.test(s)),
          'orders',
          'products',
          'a',
          '%2e',
        ),
        {
          maxLength: 5,
        },
      )
      .map((parts) => `/${parts.join('/')}`),
    fc.webPath().filter((p) => p.startsWith('/')),
  );
