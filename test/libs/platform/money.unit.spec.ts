import { expect } from 'chai';
import { formatMoney } from '@orderflow/platform';

describe('formatMoney', () => {
  const cases = [
    { minor: 1999, currency: 'EUR', text: '€19.99' },
    { minor: 5, currency: 'EUR', text: '€0.05' },
    { minor: 0, currency: 'EUR', text: '€0.00' },
    { minor: 123_456_789, currency: 'EUR', text: '€1,234,567.89' },
    { minor: 500, currency: 'JPY', text: '¥500' },
    { minor: 150_000, currency: 'JPY', text: '¥150,000' },
    { minor: 250, currency: 'USD', text: '$2.50' },
  ];
  for (const { minor, currency, text } of cases) {
    it(`formats ${minor} ${currency} minor units as ${text}`, () => {
      expect(formatMoney(minor, currency)).to.equal(text);
    });
  }
});
