import type { OrderLine } from '@orderflow/events';
import { AppError } from '@orderflow/platform/errors';

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

export interface Order {
  id: string;
  status: 'placed';
  customer: Customer;
  lines: OrderLine[];
  totalCents: number;
  currency: string;
  createdAt: string;
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
  order: Order;
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
    unitPriceCents: product.priceCents,
    lineTotalCents: product.priceCents * item.quantity,
  }));
  return {
    order: {
      id: input.orderId,
      status: 'placed',
      customer: input.customer,
      lines,
      totalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
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
  return currencies[0];
}

function assertInStock(product: Product, quantity: number): void {
  if (product.stock >= quantity) return;
  throw new AppError(
    'insufficient-stock',
    `only ${product.stock} of product ${product.id} left, ${quantity} requested`,
    { productId: product.id, available: product.stock, requested: quantity },
  );
}
