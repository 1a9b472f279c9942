import { expect } from 'chai';
import {
  nonPublicRange,
  publicOnlyLookup,
  webhookUrlProblem,
  type Resolver,
} from '@orderflow/seller/webhook-targets';

describe('webhook target addresses', () => {
  const refused: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['2002:7f00:1::', '6to4'],
  ];
  for (const [address, range] of refused) {
    it(`refuses ${address} (${range})`, () => {
      expect(nonPublicRange(address)).to.equal(range);
    });
  }
  for (const address of ['8.8.8.8', '34.117.59.81', '2001:4860:4860::8888']) {
    it(`takes ${address}`, () => {
      expect(nonPublicRange(address)).to.equal(undefined);
    });
  }
});

describe('webhook URLs', () => {
  const cases: [string, string | undefined][] = [
    ['https://hooks.acme.example/orders', undefined],
    ['https://8.8.8.8/hooks', undefined],
    ['http://hooks.acme.example/orders', 'https only'],
    ['ftp://hooks.acme.example/', 'https only'],
    ['https://user:pw@hooks.acme.example/', 'credentials in the URL'],
    ['https://127.0.0.1/', '127.0.0.1 is a loopback address'],
    ['https://[::1]:8443/', '::1 is a loopback address'],
    ['https://169.254.169.254/computeMetadata/v1/', '169.254.169.254 is a linkLocal address'],
    ['https://localhost/', 'localhost is not public'],
    ['https://metadata.google.internal/', 'metadata.google.internal is not public'],
    ['not a url', 'not a URL'],
  ];
  for (const [url, problem] of cases) {
    it(`${problem ? 'refuses' : 'takes'} ${url}`, () => {
      expect(webhookUrlProblem(url, 'public')).to.equal(problem);
    });
  }

  it('takes http and private addresses for the local system only', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8026/sellers/acme', 'any')).to.equal(undefined);
    expect(webhookUrlProblem('ftp://127.0.0.1/', 'any')).to.equal('http(s) only');
  });
});

describe('the connect-time lookup', () => {
  const resolvingTo =
    (...addresses: string[]): Resolver =>
    (_hostname, _options, callback) => {
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
    };
  const lookUp = (resolver: Resolver, all: boolean) =>
    new Promise<unknown>((resolve) => {
      publicOnlyLookup(resolver)('hooks.acme.example', { all }, (error, address) => {
        resolve(error ? error.message : address);
      });
    });

  it('passes public addresses on, one or all as asked', async () => {
    expect(await lookUp(resolvingTo('8.8.8.8', '2001:4860:4860::8888'), false)).to.equal('8.8.8.8');
    expect(await lookUp(resolvingTo('8.8.8.8'), true)).to.deep.equal([
      { address: '8.8.8.8', family: 4 },
    ]);
  });

  it('refuses a name when any of its addresses is not public', async () => {
    expect(await lookUp(resolvingTo('8.8.8.8', '10.0.0.7'), false)).to.equal(
      'webhook host hooks.acme.example resolves to 10.0.0.7, a private address',
    );
  });
});
