import type { OrderLine, OrderStatus } from '@orderflow/events';
import { AppError } from '@orderflow/platform/errors';
import { maxAmountMinor, minorUnitDigits } from '@orderflow/platform/money';

export interface Product {
  id: string;
  sellerId: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
}

export interface Customer {
  id: string;
  email: string;
}

export interface OrderItem {
  productId: string;
  quantity: number;
}

/** An order as priced from the catalog, before its units are taken from the stock. */
export interface PricedOrder {
  id: string;
  /** `placed` when placed; later transitions (domain/lifecycle.ts) change it. */
  status: OrderStatus;
  customer: Customer;
  lines: OrderLine[];
  totalCents: number;
  currency: string;
  createdAt: string;
}

/**
 * Where some of an order's units were taken: a shard's index in the product's stock shards, or
 * `null` for a product that holds its stock itself. Cancelling the order gives them back there.
 */
export interface StockTaken {
  productId: string;
  shard: number | null;
  quantity: number;
}

export interface Order extends PricedOrder {
  stockTaken: StockTaken[];
}

export interface StockLevel {
  productId: string;
  stock: number;
}

export interface PlaceOrderInput {
  orderId: string;
  customer: Customer;
  items: readonly OrderItem[];
  /** The catalog entries of the ordered products, as read inside the transaction. */
  products: ReadonlyMap<string, Product>;
  now: Date;
}

export interface PlaceOrderDecision {
  order: PricedOrder;
  /** The stock each ordered product is left with. */
  stock: StockLevel[];
}

/** Prices an order from the catalog and reserves its stock, or says why it cannot. */
export function placeOrder(input: PlaceOrderInput): PlaceOrderDecision {
  assertWellFormed(input.items);
  const priced = input.items.map((item) => ({ item, product: catalogEntry(input.products, item) }));
  const currency = singleCurrency(priced.map(({ product }) => product));
  for (const { item, product } of priced) assertInStock(product, item.quantity);

  const lines = priced.map(({ item, product }) => ({
    productId: product.id,
    sellerId: product.sellerId,
    name: product.name,
    quantity: item.quantity,
    unitPriceCents: bounded(product.priceCents, `the price of ${product.id}`),
    lineTotalCents: bounded(product.priceCents * item.quantity, `the line of ${product.id}`),
  }));
  return {
    order: {
      id: input.orderId,
      status: 'placed',
      customer: input.customer,
      lines,
      totalCents: bounded(
        lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
        'the order total',
      ),
      currency,
      createdAt: input.now.toISOString(),
    },
    stock: priced.map(({ item, product }) => ({
      productId: product.id,
      stock: product.stock - item.quantity,
    })),
  };
}

function assertWellFormed(items: readonly OrderItem[]): void {
  if (items.length === 0) throw new AppError('invalid-request', 'an order needs at least one item');
  if (new Set(items.map((i) => i.productId)).size !== items.length) {
    throw new AppError('invalid-request', 'list each product once');
  }
}

function catalogEntry(products: ReadonlyMap<string, Product>, item: OrderItem): Product {
  const product = products.get(item.productId);
  if (!product) {
    throw new AppError('unknown-product', `product ${item.productId} does not exist`, {
      productId: item.productId,
    });
  }
  return product;
}

function singleCurrency(products: readonly Product[]): string {
  const currencies = [...new Set(products.map((p) => p.currency))];
  if (currencies.length !== 1 || !currencies[0]) {
    throw new AppError('mixed-currencies', `the products are priced in ${currencies.join(', ')}`, {
      currencies,
    });
  }
  if (minorUnitDigits(currencies[0]) === undefined) {
    throw new AppError('invalid-order', `${currencies[0]} is not an ISO 4217 currency`);
  }
  return currencies[0];
}

/**
 * Refuses an amount over the maximum, or one that is not a whole number of minor units (a
 * catalog entry can hold anything). Checked in the order of computation, each amount is exact:
 * a price of at most the maximum times a quantity of at most 1,000 stays far below 2^53.
 */
function bounded(amount: number, what: string): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new AppError('invalid-order', `${what} is not a whole number of minor units`);
  }
  if (amount > maxAmountMinor) {
    throw new AppError('amount-too-large', `${what} is over ${maxAmountMinor} minor units`, {
      maxAmountMinor,
    });
  }
  return amount;
}

function assertInStock(product: Product, quantity: number): void {
  if (product.stock >= quantity) return;
  throw new AppError(
    'insufficient-stock',
    `only ${product.stock} of product ${product.id} left, ${quantity} requested`,
    { productId: product.id, available: product.stock, requested: quantity },
  );
}
