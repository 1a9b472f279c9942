import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { CloudEvent } from '@orderflow/events';
import {
  defaultRelaySettings,
  InMemoryOutbox,
  PublishBreaker,
  publishCommitted,
  relayOutbox,
  type PublishBreakerSettings,
} from '@orderflow/outbox';
import { anOrderPlacedEvent } from '../../support/events.js';
import { capturingLogger } from '../../support/logger.js';
import { RecordingPublisher } from '../../support/publisher.js';

/** An outbox whose writer commits events to it, as the order store's transaction does. */
class CommittingOutbox extends InMemoryOutbox {
  commit(event: CloudEvent): void {
    this.addToOutbox({ event, createdAt: new Date(0) });
  }
}

/** A publisher that counts every publish it is asked for, failing while `failWith` is set. */
class CountingPublisher extends RecordingPublisher {
  attempts = 0;
  override publish(event: CloudEvent, origin?: string): Promise<void> {
    this.attempts += 1;
    return super.publish(event, origin);
  }
}

const settings: PublishBreakerSettings = {
  volumeThreshold: 3,
  errorThresholdPercentage: 50,
  windowMs: 10_000,
  pauseMs: 60_000,
};

function aRequestPath(overrides: Partial<PublishBreakerSettings> = {}) {
  const { logger, lines } = capturingLogger();
  const outbox = new CommittingOutbox();
  const publisher = new CountingPublisher();
  const publishBreaker = new PublishBreaker(logger, { ...settings, ...overrides });
  const deps = { outbox, publisher, publishBreaker, clock: () => new Date() };
  /** What a request does after its commit. */
  const placed = async () => {
    const event = anOrderPlacedEvent();
    outbox.commit(event);
    await publishCommitted(deps, event, logger);
    return event;
  };
  return { deps, outbox, publisher, publishBreaker, placed, lines, logger };
}

const messages = (lines: Record<string, unknown>[]) => lines.map((l) => l['message']);

describe('PublishBreaker', () => {
  let path: ReturnType<typeof aRequestPath>;
  afterEach(() => path.publishBreaker.shutdown());

  it('pauses publishing from requests once most publishes fail; the relay publishes every event', async () => {
    path = aRequestPath();
    path.publisher.failWith = new Error('publish timed out');
    for (let i = 0; i < 3; i += 1) await path.placed();
    expect(path.publisher.attempts).to.equal(3);
    expect(path.publishBreaker.paused).to.equal(true);

    const skipped = await path.placed();
    expect(path.publisher.attempts, 'no publish tried while paused').to.equal(3);
    expect(path.outbox.outbox.get(skipped.id)?.publishedAt).to.equal(undefined);
    expect(messages(path.lines)).to.include(
      'publishing paused; the outbox relay will publish the event',
    );
    expect(
      messages(path.lines).filter((m) => String(m).startsWith('publishing paused:')),
    ).to.have.length(1);

    path.publisher.failWith = undefined;
    const { outbox, publisher, clock } = path.deps;
    const report = await relayOutbox(
      { outbox, publisher, clock, logger: path.logger },
      { ...defaultRelaySettings, graceMs: 0 },
    );
    expect(report.published).to.equal(4);
    expect([...path.outbox.outbox.values()].every((e) => e.publishedAt)).to.equal(true);
  });

  it('keeps publishing while fewer than the threshold fail', async () => {
    path = aRequestPath();
    await path.placed();
    await path.placed();
    path.publisher.failWith = new Error('publish timed out');
    await path.placed();
    path.publisher.failWith = undefined;
    await path.placed();
    expect(path.publishBreaker.paused).to.equal(false);
    expect(path.publisher.attempts).to.equal(4);
  });

  it('tries one publish after the pause; its success resumes publishing from requests', async () => {
    path = aRequestPath({ pauseMs: 50 });
    path.publisher.failWith = new Error('publish timed out');
    for (let i = 0; i < 3; i += 1) await path.placed();
    expect(path.publishBreaker.paused).to.equal(true);

    await sleep(80);
    path.publisher.failWith = undefined;
    const trial = await path.placed();
    expect(path.publisher.attempts).to.equal(4);
    expect(path.publishBreaker.paused).to.equal(false);
    expect(path.outbox.outbox.get(trial.id)?.publishedAt).to.be.instanceOf(Date);
    expect(messages(path.lines)).to.include('publishing resumed');
  });

  it('pauses again when the trial publish fails', async () => {
    path = aRequestPath({ pauseMs: 50 });
    path.publisher.failWith = new Error('publish timed out');
    for (let i = 0; i < 3; i += 1) await path.placed();

    await sleep(80);
    await path.placed();
    expect(path.publisher.attempts).to.equal(4);
    expect(path.publishBreaker.paused).to.equal(true);
    await path.placed();
    expect(path.publisher.attempts).to.equal(4);
  });
});
