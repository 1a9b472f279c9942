import { writeFile } from 'node:fs/promises';
import { configurationFile, configurationReference } from './configuration.js';

await writeFile(configurationFile, await configurationReference());
process.stdout.write(`wrote ${configurationFile}\n`);
