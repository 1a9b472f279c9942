import type { StepSearch } from './step-search.js';

/** The order service as built, and the request-response design it replaces, in two forms. */
export const architectures = ['event-driven', 'rr-sequential', 'rr-parallel'] as const;
export type Architecture = (typeof architectures)[number];

export const scenarioNames = [
  'healthy',
  'hot-product',
  'seller-slow',
  'seller-failing',
  'burst',
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

/** What the sellers' webhook endpoints do during a scenario. */
export interface SellerBehaviour {
  status: number;
  delayMs: number;
}

export interface Scenario {
  name: ScenarioName;
  description: string;
  seller: SellerBehaviour;
  /** Every order on one product, or spread over the whole bench catalog. */
  products: 'spread' | 'hot';
  /** The steady load, or the burst. */
  load: 'steady' | 'burst';
  /**
   * The sellers stay down for `BenchSettings.sellerOutageSeconds` from the run's start, then are
   * mended; event-driven then measures the recovery (`recovery.ts`).
   */
  outage?: true;
}

export const healthySeller: SellerBehaviour = { status: 200, delayMs: 0 };

export const scenarios: Record<ScenarioName, Scenario> = {
  healthy: {
    name: 'healthy',
    description: 'all healthy, orders spread over 1,000 products',
    seller: healthySeller,
    products: 'spread',
    load: 'steady',
  },
  'hot-product': {
    name: 'hot-product',
    description: 'all healthy, every order on one product',
    seller: healthySeller,
    products: 'hot',
    load: 'steady',
  },
  'seller-slow': {
    name: 'seller-slow',
    description: "the sellers' webhook endpoints 200 ms slower",
    seller: { status: 200, delayMs: 200 },
    products: 'spread',
    load: 'steady',
  },
  'seller-failing': {
    name: 'seller-failing',
    description: "the sellers' webhook endpoints answer 500 to every call, then are mended",
    seller: { status: 500, delayMs: 0 },
    products: 'spread',
    load: 'steady',
    outage: true,
  },
  burst: {
    name: 'burst',
    description: 'several times the steady rate, which the subscribers keep up with',
    seller: healthySeller,
    products: 'spread',
    load: 'burst',
  },
};

/** The saturation search: the order API and the floor, each at rising open-loop rates. */
export interface SaturationSettings extends StepSearch {
  stepSeconds: number;
  /** A step passes when every order is answered 2xx and p99 stays under this. */
  p99LimitMs: number;
  /** An order unanswered this long after its start time fails its step. */
  timeoutMs: number;
  /** The client's keep-alive connections to the order API: enough never to be the limit. */
  connections: number;
  /**
   * After a failed step, the next waits until this many orders in a row, one at a time, each
   * side's own, took under `recoveredMs`: the failed step's queue is worked off by then. The
   * hot-product ladder waits the same way after a layout's failed step (`settle.ts`).
   */
  recovery: { orders: number; recoveredMs: number; maxSeconds: number };
}

/**
 * Each round, every side's order service takes orders at `ratePerSide` per second for `seconds`,
 * open loop, their arrivals spread evenly over each period: 12 orders/s in all for the three
 * sides, nearly always one in flight.
 */
export interface TracingSettings {
  rounds: number;
  ratePerSide: number;
  seconds: number;
}

/** The steps of the floor: the least work an order needs, and the API's extra steps. */
export const floorSteps = [
  'transaction',
  'publish',
  'transaction+publish',
  'transaction+publish/hot',
  'transaction+key',
  'mark-published',
  'jwt-verify',
  'use-case',
] as const;
export type FloorStep = (typeof floorSteps)[number];

/**
 * How orders arrive: `connections` connections (HTTP) or workers (floor), each placing
 * `perConnection` orders at the start of every second, one after another, as autocannon's rate
 * limit does. So every second `connections` orders arrive together, at the same concurrency for
 * every architecture and the floor.
 */
export interface Load {
  connections: number;
  perConnection: number;
  seconds: number;
}

export const offeredRate = (load: Load) => load.connections * load.perConnection;

export interface BenchSettings {
  mode: 'quick' | 'full';
  /**
   * Unreported load before the floor and after each start of the order service: a process
   * (and an emulator's JVM) answers markedly slower in its first minute than later.
   */
  warmup: Load;
  /** A rate the subscribers keep up with on the reference machine: their backlog stays flat. */
  steady: Load;
  floorSeconds: number;
  burst: Load;
  /** autocannon gives up on a request after this long and counts it as failed. */
  requestTimeoutSeconds: number;
  /** How long to wait for the subscribers to finish an event-driven run's orders. */
  settleSeconds: number;
  /**
   * Stop waiting sooner when no order settled for this long, longer than Pub/Sub's longest
   * backoff (10 s locally): what is left then is stuck, and reported as open.
   */
  stallSeconds: number;
  products: number;
  customers: number;
  architectures: readonly Architecture[];
  scenarios: readonly ScenarioName[];
  floorSteps: readonly FloorStep[];
  /**
   * Rounds of the floor's transaction then publish, event-driven healthy and event-driven with
   * the slow seller, back to back, every other round in reverse order (see `pairedRounds`).
   * The two latency targets take the median over the rounds: on a shared machine one noisy
   * half-minute must not decide them.
   */
  rounds: number;
  /** The tracing comparison (`--tracing`): the order service traced and untraced, interleaved. */
  tracing: TracingSettings;
  /**
   * How long the sellers' endpoints are down in the failing-seller scenario, from the run's
   * start (at least the run). The local seller settings (5 attempts, backoff 1 s doubling to
   * 10 s) dead-letter an order's seller about 15 s after it failed first: a longer outage leaves
   * more orders to replay.
   */
  sellerOutageSeconds: number;
  saturation: SaturationSettings;
}

const full: BenchSettings = {
  mode: 'full',
  warmup: { connections: 8, perConnection: 2, seconds: 30 },
  steady: { connections: 8, perConnection: 1, seconds: 30 },
  floorSeconds: 30,
  burst: { connections: 40, perConnection: 1, seconds: 30 },
  requestTimeoutSeconds: 30,
  settleSeconds: 120,
  stallSeconds: 15,
  products: 1000,
  customers: 500,
  architectures,
  scenarios: scenarioNames,
  floorSteps,
  rounds: 4,
  tracing: { rounds: 6, ratePerSide: 4, seconds: 30 },
  sellerOutageSeconds: 30,
  saturation: {
    startRate: 20,
    growth: 1.5,
    precision: 0.1,
    maxSteps: 10,
    stepSeconds: 10,
    p99LimitMs: 1000,
    timeoutMs: 5000,
    connections: 512,
    recovery: { orders: 3, recoveredMs: 100, maxSeconds: 30 },
  },
};

/** Every architecture and scenario, shorter, and the floor without its breakdown: under 2 minutes. */
const quick: BenchSettings = {
  ...full,
  mode: 'quick',
  warmup: { ...full.warmup, seconds: 2 },
  steady: { ...full.steady, seconds: 3 },
  floorSeconds: 3,
  burst: { ...full.burst, seconds: 3 },
  settleSeconds: 30,
  // Shorter than the longest backoff: a retry still due then is reported open.
  stallSeconds: 8,
  customers: 100,
  floorSteps: ['transaction', 'publish', 'transaction+publish'],
  rounds: 1,
  tracing: { rounds: 2, ratePerSide: 4, seconds: 3 },
  // Longer than the 3 s run: its first orders run out of attempts and are replayed.
  sellerOutageSeconds: 20,
  // Two short steps per side: proves the search runs, finds no saturation.
  saturation: { ...full.saturation, growth: 2, maxSteps: 2, stepSeconds: 3 },
};

export const benchSettings = { full, quick } as const;

/** Where the benchmark's ports start unless `--port-base` moves them: 28080 is its order API. */
export const defaultPortBase = 28000;
