import * as z from 'zod';

/**
 * Digits after the decimal point of each active ISO 4217 currency (the standard's "minor unit"
 * column), kept as data rather than taken from `Intl`, whose answer depends on the ICU data of
 * the Node.js build and, for a few currencies (ISK, HUF…), differs from the standard.
 */
const byDigits: Record<number, string> = {
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  2:
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
    'GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR ' +
    'LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD ' +
    'PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC ' +
    'SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG',
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF UYW',
};

const minorDigits: ReadonlyMap<string, number> = new Map(
  Object.entries(byDigits).flatMap(([digits, codes]) =>
    codes.split(' ').map((code) => [code, Number(digits)] as const),
  ),
);

/** The digits of a currency's minor unit, or `undefined` for a code that is not ISO 4217. */
export const minorUnitDigits = (currency: string): number | undefined => minorDigits.get(currency);

export const currencyCode = z
  .string()
  .refine((code) => minorDigits.has(code), 'an active ISO 4217 currency code');

/**
 * The largest amount, in minor units, of a price, a line or an order: 10^12 (ten billion euros).
 * A line is at most 1,000 × this and an order 100 lines of at most this, both far below 2^53, so
 * no product or sum on the way loses precision; nor do a customer's totals over many orders.
 */
export const maxAmountMinor = 1_000_000_000_000;

/** Formats integer minor units in their currency: 1999 EUR is €19.99, 500 JPY is ¥500. */
export function formatMoney(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency) ?? 2;
  return new Intl.NumberFormat('en', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(minorUnits / 10 ** digits);
}
