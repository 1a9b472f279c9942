import CircuitBreaker from 'opossum';
import type { Logger } from '@orderflow/platform';

export interface PublishBreakerSettings {
  /** Publishes within `windowMs` before the breaker judges at all. */
  volumeThreshold: number;
  /** The share of them, in %, that must fail for publishing to pause. */
  errorThresholdPercentage: number;
  windowMs: number;
  /** How long a pause lasts before one publish is tried again. */
  pauseMs: number;
}

/**
 * Five publishes in ten seconds, half of them failed: a Pub/Sub outage or overload, not a
 * passing error (the client library retries those inside the publish timeout). Ten seconds of
 * pause, then one trial publish; the relay publishes every event meanwhile.
 */
export const defaultPublishBreakerSettings: PublishBreakerSettings = {
  volumeThreshold: 5,
  errorThresholdPercentage: 50,
  windowMs: 10_000,
  pauseMs: 10_000,
};

/** What `PublishBreaker.run` rejects with while publishing is paused. */
export class PublishPaused extends Error {
  override readonly name = 'PublishPaused';
}

/**
 * Stops a request waiting for Pub/Sub while Pub/Sub keeps failing. Each request's publish is
 * bounded (`PUBLISH_TIMEOUT_MS`), and a failed one is left to the outbox relay; but in an outage
 * every request would wait out the whole bound first, each instance's capacity falling with it.
 * Once most recent publishes failed, requests skip the publish for `pauseMs` and answer after
 * their commit; the relay publishes their events (after its grace period), and a single trial
 * publish then decides whether requests publish again. Only the request path goes through it:
 * the relay keeps trying, as it must. A circuit breaker: opossum's.
 */
export class PublishBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<void>], void>;

  constructor(logger: Logger, settings: PublishBreakerSettings = defaultPublishBreakerSettings) {
    this.breaker = new CircuitBreaker((publish: () => Promise<void>) => publish(), {
      // The publisher bounds each publish itself.
      timeout: false,
      volumeThreshold: settings.volumeThreshold,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      rollingCountTimeout: settings.windowMs,
      resetTimeout: settings.pauseMs,
      enableSnapshots: false,
    });
    this.breaker.on('open', () =>
      logger.warn('publishing paused: most recent publishes failed; the outbox relay publishes', {
        pauseMs: settings.pauseMs,
      }),
    );
    this.breaker.on('close', () => logger.info('publishing resumed'));
  }

  /** Runs `publish`, or rejects at once with `PublishPaused` while publishing is paused. */
  async run(publish: () => Promise<void>): Promise<void> {
    try {
      await this.breaker.fire(publish);
    } catch (error) {
      if (isOpenBreaker(error)) throw new PublishPaused('publishing is paused', { cause: error });
      throw error;
    }
  }

  get paused(): boolean {
    return !this.breaker.closed;
  }

  /** Clears its timers. */
  shutdown(): void {
    this.breaker.shutdown();
  }
}

const isOpenBreaker = (error: unknown) =>
  error instanceof Error && (error as Error & { code?: string }).code === 'EOPENBREAKER';
