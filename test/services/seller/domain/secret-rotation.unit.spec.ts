import { expect } from 'chai';
import { firstSecret, rotate, signingVersions } from '@orderflow/seller/domain/secret-rotation';

const now = new Date('2025-03-01T10:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const day = 86_400_000;

describe('secret rotation', () => {
  it('signs with version 1 before any rotation', () => {
    expect(signingVersions(firstSecret, now)).to.deep.equal([1]);
  });

  it('signs with the new version and the old one until the overlap ends, then the new alone', () => {
    const rotated = rotate(firstSecret, now, day);
    expect(rotated).to.deep.equal({ version: 2, previous: { version: 1, until: later(day) } });
    expect(signingVersions(rotated, now)).to.deep.equal([2, 1]);
    expect(signingVersions(rotated, later(day - 1))).to.deep.equal([2, 1]);
    expect(signingVersions(rotated, later(day))).to.deep.equal([2]);
  });

  it('drops the old version at once with no overlap', () => {
    const rotated = rotate(firstSecret, now, 0);
    expect(rotated).to.deep.equal({ version: 2 });
    expect(signingVersions(rotated, now)).to.deep.equal([2]);
  });

  it('keeps only the version it replaces when rotated again during an overlap', () => {
    const twice = rotate(rotate(firstSecret, now, day), later(1000), day);
    expect(signingVersions(twice, later(2000))).to.deep.equal([3, 2]);
  });
});
