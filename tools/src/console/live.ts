import type { Response } from 'express';
import type { Unsubscribe, Watchable } from './ports.js';

/**
 * A value read by polling, shared by every page that watches it: read every `intervalMs` while
 * at least one watches, passed on only when it changed. `refresh` reads it now, after an action.
 */
export class Polled<T> implements Watchable<T> {
  private readonly watchers = new Set<{
    onValue: (value: T) => void;
    onError: (error: unknown) => void;
  }>();
  private last: { json: string; value: T } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly intervalMs: number,
  ) {}

  watch(onValue: (value: T) => void, onError: (error: unknown) => void): Unsubscribe {
    const watcher = { onValue, onError };
    this.watchers.add(watcher);
    if (this.last) onValue(this.last.value);
    if (this.watchers.size === 1) void this.tick();
    return () => {
      this.watchers.delete(watcher);
      if (this.watchers.size === 0) {
        clearTimeout(this.timer);
        this.last = undefined;
      }
    };
  }

  async refresh(): Promise<void> {
    await this.reading;
    if (this.watchers.size > 0) await this.tick();
  }

  private tick(): Promise<void> {
    clearTimeout(this.timer);
    this.reading = this.read().then(
      (value) => {
        // Wrapped, so that `undefined` (nothing there yet) is a value too: it is "{}".
        const json = JSON.stringify({ value });
        if (json === this.last?.json) return;
        this.last = { json, value };
        for (const w of this.watchers) w.onValue(value);
      },
      (error: unknown) => {
        this.last = undefined;
        for (const w of this.watchers) w.onError(error);
      },
    );
    return this.reading.finally(() => {
      this.reading = undefined;
      if (this.watchers.size > 0) this.timer = setTimeout(() => void this.tick(), this.intervalMs);
    });
  }
}

export interface Panel {
  /** The id of the element the panel's HTML replaces the content of. */
  target: string;
  watch(render: (html: string) => void): Unsubscribe;
}

/** A panel that renders a watched value, or the failure to read it. */
export function panel<T>(
  target: string,
  source: Watchable<T>,
  render: (value: T) => string,
  renderFailure: (error: unknown) => string,
): Panel {
  return {
    target,
    watch: (send) =>
      source.watch(
        (value) => send(render(value)),
        (error) => send(renderFailure(error)),
      ),
  };
}

const keepAliveMs = 15_000;

/**
 * Streams the panels as Server-Sent Events, each change an `<hx-partial>` that htmx morphs into
 * its target, until the page goes away. Written by hand because htmx swaps only unnamed
 * messages and HTML spans lines, each of which needs its own `data:` field; the SSE libraries
 * at hand name every event and send JSON on one line.
 */
export function streamPanels(res: Response, panels: Panel[]): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  const sent = new Map<string, string>();
  const send = (target: string, html: string) => {
    if (sent.get(target) === html) return;
    sent.set(target, html);
    const partial = `<hx-partial hx-target="#${target}" hx-swap="innerMorph">${html}</hx-partial>`;
    res.write(
      `${partial
        .split(/\r\n|\r|\n/)
        .map((line) => `data: ${line}\n`)
        .join('')}\n`,
    );
  };
  const stops = panels.map((p) => p.watch((html) => send(p.target, html)));
  // A comment line keeps proxies and the browser from closing an idle stream.
  const keepAlive = setInterval(() => res.write(':\n\n'), keepAliveMs);
  res.on('close', () => {
    clearInterval(keepAlive);
    for (const stop of stops) stop();
  });
}
