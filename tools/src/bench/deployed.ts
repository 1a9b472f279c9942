import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../local/system.js';

/**
 * The share of new traces a deployment keeps: Pulumi's `traceSamplePercent` default, read from
 * the project file so that the bench measures what `pulumi up` deploys.
 */
export function deployedSampleRatio(projectFile = join(repoRoot, 'Pulumi.yaml')): number {
  const project = parse(readFileSync(projectFile, 'utf8')) as {
    config?: { traceSamplePercent?: { default?: unknown } };
  };
  const percent = project.config?.traceSamplePercent?.default;
  if (typeof percent !== 'number')
    throw new Error(`${projectFile} declares no traceSamplePercent default`);
  return percent / 100;
}
