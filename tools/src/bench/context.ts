import type { BenchSettings } from './settings.js';
import type { BenchTarget } from './target.js';
import type { BenchCustomer } from './workload.js';

/** What every measure runs with: the system under test, the settings, the customers, a log. */
export interface BenchContext {
  target: BenchTarget;
  settings: BenchSettings;
  customers: readonly BenchCustomer[];
  progress: (line: string) => void;
}
