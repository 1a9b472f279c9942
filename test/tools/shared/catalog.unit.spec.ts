import { expect } from 'chai';
import { parseCatalog } from '@orderflow/tools/shared/catalog';

const withWebhooks = (...urls: string[]) => ({
  sellers: urls.map((webhookUrl, i) => ({
    id: `seller-${i}`,
    name: 'Seller',
    email: 'orders@seller.example',
    webhookUrl,
  })),
});

describe('catalog webhook URLs', () => {
  it('takes public https URLs for a real project', () => {
    const catalog = parseCatalog(withWebhooks('https://hooks.acme.example/orders'), 'public');
    expect(catalog.sellers[0]?.webhookUrl).to.equal('https://hooks.acme.example/orders');
  });

  it('refuses, for a real project, every URL the seller service would not call, each named', () => {
    const parse = () =>
      parseCatalog(
        withWebhooks(
          'http://hooks.acme.example/orders',
          'https://169.254.169.254/computeMetadata/v1/',
          'https://10.0.0.7/hooks',
        ),
        'public',
      );
    expect(parse)
      .to.throw('invalid catalog')
      .with.property('message')
      .that.contains('sellers[0].webhookUrl')
      .and.contains('refused webhook URL: https only')
      .and.contains('169.254.169.254 is a linkLocal address')
      .and.contains('10.0.0.7 is a private address');
  });

  it('takes the local stand-in on the emulators', () => {
    expect(() =>
      parseCatalog(withWebhooks('http://127.0.0.1:8026/sellers/acme'), 'any'),
    ).to.not.throw();
  });
});
