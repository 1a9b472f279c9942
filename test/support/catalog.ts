import { randomUUID } from 'node:crypto';
import type { Customer, Product } from '@orderflow/order/domain/order';
import { firstSecret } from '@orderflow/seller/domain/secret-rotation';
import type { Seller } from '@orderflow/seller/domain/seller-notice';

/** Object Mothers for the catalog: sensible defaults, a fresh id each time unless given. */
export function aProduct(overrides: Partial<Product> = {}): Product {
  return {
    id: `product-${randomUUID()}`,
    sellerId: 'seller-pottery',
    name: 'Stoneware mug',
    priceCents: 1250,
    currency: 'EUR',
    stock: 10,
    ...overrides,
  };
}

export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  const id = overrides.id ?? `customer-${randomUUID()}`;
  return { id, email: `${id}@example.com`, ...overrides };
}

export function aSeller(overrides: Partial<Seller> = {}): Seller {
  const id = overrides.id ?? `seller-${randomUUID()}`;
  return {
    id,
    name: `Seller ${id}`,
    email: `${id}@sellers.example`,
    signing: firstSecret,
    ...overrides,
  };
}

/** A catalog map as the domain reads it, keyed by product id. */
export const catalogOf = (...products: Product[]): Map<string, Product> =>
  new Map(products.map((p) => [p.id, p]));
