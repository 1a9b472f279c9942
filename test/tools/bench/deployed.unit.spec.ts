import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { deployedSampleRatio } from '@orderflow/tools/bench/deployed';

describe('the sampling the bench deploys', () => {
  const projectFile = (yaml: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'pulumi-')), 'Pulumi.yaml');
    writeFileSync(file, yaml);
    return file;
  };

  it("samples as the project file's traceSamplePercent default says", () => {
    const file = projectFile(
      'config:\n  traceSamplePercent:\n    type: integer\n    default: 25\n',
    );
    expect(deployedSampleRatio(file)).to.equal(0.25);
  });

  it('refuses a project file that declares no default', () => {
    const file = projectFile('config:\n  traceSamplePercent:\n    type: integer\n');
    expect(() => deployedSampleRatio(file)).to.throw(/no traceSamplePercent default/);
  });

  it("reads this project's own file", () => {
    const ratio = deployedSampleRatio();
    expect(ratio).to.be.greaterThan(0).and.at.most(1);
  });
});
