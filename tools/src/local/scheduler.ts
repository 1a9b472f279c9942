import type { LogSink } from './processes.js';

/** A call Cloud Scheduler makes in production, made by the local system instead. */
export interface ScheduledCall {
  name: string;
  url: string;
  /** The caller's OIDC token (with `LOCAL_PUSH_AUTH=production`); none for the bare emulators. */
  token?: () => Promise<string>;
  intervalMs: number;
}

/**
 * Plays Cloud Scheduler: POSTs to `url` every `intervalMs`, one call at a time (a call that
 * outlasts the interval delays the next, never overlaps it). A failed call is logged; the next
 * one comes all the same, as the job's next run does.
 */
export function startScheduledCall(call: ScheduledCall, log: LogSink): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const once = async () => {
    try {
      const token = await call.token?.();
      const response = await fetch(call.url, {
        method: 'POST',
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(60_000),
      });
      const body = await response.text();
      if (!response.ok) log(call.name, `${response.status} ${body.slice(0, 200)}`);
    } catch (error) {
      // A service being restarted by a test refuses the connection for a moment.
      log(call.name, `failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = once().finally(next);
    }, call.intervalMs);
  };
  next();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
