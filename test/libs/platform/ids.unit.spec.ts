import { expect } from 'chai';
import { firestoreIdProblem, resourceId } from '@orderflow/platform';

describe('the id rule and Firestore', () => {
  const firestoreRefuses = ['', 'a/b', '/', '.', '..', '__x__', '____', '__.__'];
  const firestoreTakes = ['__', '___', 'a.b', '...', '_x_', 'x'.repeat(1500), 'ünïcode', ' '];

  for (const id of firestoreRefuses) {
    it(`knows Firestore refuses ${JSON.stringify(id)}, and so does the id rule`, () => {
      expect(firestoreIdProblem(id)).to.be.a('string');
      expect(resourceId.safeParse(id).success).to.equal(false);
    });
  }

  for (const id of firestoreTakes) {
    it(`knows Firestore takes ${JSON.stringify(id.slice(0, 12))}`, () => {
      expect(firestoreIdProblem(id)).to.equal(undefined);
    });
  }

  it('takes letters, digits, _ and - up to 128 characters, and nothing else', () => {
    expect(resourceId.safeParse(`A-z_0${'9'.repeat(123)}`).success).to.equal(true);
    for (const id of ['x'.repeat(129), 'a.b', 'a b', 'ü', 'a:b', 'a%2F']) {
      expect(resourceId.safeParse(id).success, id).to.equal(false);
    }
  });
});
