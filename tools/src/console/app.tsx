/** @jsxRuntime automatic @jsxImportSource preact */
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import express, { type ErrorRequestHandler } from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import type { Logger } from '@orderflow/platform';
import { errorFields } from '@orderflow/platform';
import { sameOriginOnly } from './guard.js';
import { panel, Polled, streamPanels, type Panel } from './live.js';
import { replayOutcomeText, wentBack } from '../shared/dead-letters.js';
import type { ConsoleDeps, OrderView, ReplayResult, SinkBehaviour, Watchable } from './ports.js';
import { html, page } from './render.js';
import { OrderDetail } from './views/order-detail.js';
import { Waterfall } from './views/trace.js';
import { OrdersList } from './views/flow.js';
import { ConsolePage, OrderPage } from './views/page.js';
import { Behaviours, DeadLetters, Failure, Outbox, Segments } from './views/panels.js';

const require = createRequire(import.meta.url);
const assetDirs = {
  '/assets/htmx': dirname(require.resolve('htmx.org')),
  '/assets/chart.js': dirname(require.resolve('chart.js')),
  '/assets': `${import.meta.dirname}/public`,
};

const search = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .regex(/^[^/]*$/, 'an id has no "/"')
    .optional()
    .transform((q) => q || undefined),
});
/** One dead letter by its key (as the list names it), or every one of the subscriber. */
const replayRequest = z.object({
  subscriber: z.string().min(1),
  key: z.string().min(1).optional(),
});
const modes = {
  fail: { status: 500, delayMs: 0 },
  slow: { status: 200, delayMs: 3000 },
  mend: { status: 200, delayMs: 0 },
} satisfies Record<string, SinkBehaviour>;
const switchRequest = z.object({
  sellerId: z.string().min(1),
  mode: z.enum(Object.keys(modes) as [keyof typeof modes]),
});

const failure = (what: string) => (error: unknown) => html(<Failure what={what} error={error} />);
/** A line for the page's notice area, escaped like everything the console renders. */
const notice = (text: string) => html(<span>{text}</span>);

/** The operator's console: one page of live panels, and the actions an incident needs. */
export function createConsoleApp(deps: ConsoleDeps & { port: number; logger: Logger }) {
  const { subscribers, allSubscribers } = deps;
  const deadLetters = new Polled(() => deps.deadLetters.list(), deps.pollMs);
  const outbox = new Polled(() => deps.outbox.status(new Date()), deps.pollMs);
  const segments = new Polled(() => deps.segments.distribution(), deps.pollMs);
  const demo = deps.demo;
  const behaviours = demo && new Polled(() => demo.behaviours(), deps.pollMs);

  const app = express();
  app.disable('x-powered-by');
  app.use(sameOriginOnly(deps.port));
  app.use(
    helmet({
      strictTransportSecurity: false,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  for (const [path, dir] of Object.entries(assetDirs)) app.use(path, express.static(dir));
  app.use(express.urlencoded({ extended: false, limit: '4kb' }));

  app.get('/', async (req, res) => {
    const parsed = search.safeParse(req.query);
    const sellers = deps.demo && (await deps.demo.sellers());
    res
      .status(parsed.success ? 200 : 400)
      .type('html')
      .send(page(<ConsolePage search={parsed.data?.q} sellers={sellers} />));
  });

  app.get('/orders/:id', (req, res) => {
    res
      .type('html')
      .send(page(<OrderPage orderId={req.params.id} traced={Boolean(deps.traces)} />));
  });

  app.get('/api/orders/:id', async (req, res) => {
    const view = await first(deps.orders.one(req.params.id));
    if (!view) res.status(404).json({ error: `no order ${req.params.id}` });
    else res.json(view);
  });

  app.get('/live/orders', (req, res) => {
    const parsed = search.safeParse(req.query);
    if (!parsed.success) {
      res
        .status(400)
        .type('html')
        .send(notice(parsed.error.issues.map((i) => i.message).join('; ')));
      return;
    }
    const q = parsed.data.q;
    streamPanels(res, [
      panel(
        'orders',
        deps.orders.recent({ search: q }),
        (views: OrderView[]) =>
          html(<OrdersList views={views} subscribers={subscribers} search={q} />),
        failure('the orders'),
      ),
    ]);
  });

  app.get('/live/orders/:id', (req, res) => {
    const orderId = req.params.id;
    const panels = [
      panel(
        'order-detail',
        deps.orders.one(orderId),
        (view) => html(<OrderDetail view={view} subscribers={subscribers} />),
        failure('the order'),
      ),
    ];
    const traces = deps.traces;
    if (traces) {
      // Spans arrive after the work they describe, each service exporting its own: read again
      // while the page is open.
      const trace = new Polled(() => traces.ofOrder(orderId), deps.pollMs);
      panels.push(
        panel('order-trace', trace, (t) => html(<Waterfall trace={t} />), failure('the trace')),
      );
    }
    streamPanels(res, panels);
  });

  app.get('/live/operations', (_req, res) => {
    const panels: Panel[] = [
      panel(
        'dead-letters',
        deadLetters,
        (letters) => html(<DeadLetters letters={letters} subscribers={allSubscribers} />),
        failure('the dead letters'),
      ),
      panel('outbox', outbox, (report) => html(<Outbox report={report} />), failure('the outbox')),
      panel(
        'segments',
        segments,
        (counts) => html(<Segments counts={counts} />),
        failure('the segments'),
      ),
    ];
    if (behaviours) {
      panels.push(
        panel(
          'behaviours',
          behaviours,
          (b) => html(<Behaviours behaviours={b} />),
          failure('the webhook stand-in'),
        ),
      );
    }
    streamPanels(res, panels);
  });

  app.post('/dead-letters/replay', async (req, res) => {
    const parsed = replayRequest.safeParse(req.body);
    if (!parsed.success || !allSubscribers.includes(parsed.data.subscriber)) {
      res
        .status(400)
        .type('html')
        .send(notice('Nothing replayed: name a subscriber and, for one, its event.'));
      return;
    }
    const { subscriber, key } = parsed.data;
    const results = key
      ? [await deps.deadLetters.replayOne(subscriber, key)].filter((r) => r !== undefined)
      : await deps.deadLetters.replay(subscriber);
    deps.logger.info('replayed from the console', {
      subscriber,
      outcomes: Object.fromEntries(results.map((r) => [r.letter.key, r.outcome])),
    });
    await deadLetters.refresh();
    res.type('html').send(notice(replaySummary(subscriber, results)));
  });

  app.put('/demo/behaviour', async (req, res) => {
    const parsed = switchRequest.safeParse(req.body);
    if (!deps.demo || !behaviours) {
      res
        .status(404)
        .type('html')
        .send(notice('The demo switches exist only in the local system.'));
      return;
    }
    if (!parsed.success) {
      res
        .status(400)
        .type('html')
        .send(notice('Nothing changed: choose a seller and fail, slow or mend.'));
      return;
    }
    const { sellerId, mode } = parsed.data;
    await deps.demo.set(sellerId, modes[mode]);
    await behaviours.refresh();
    const who = sellerId === '*' ? 'every seller' : sellerId;
    res
      .type('html')
      .send(notice(`The webhook stand-in now ${mode === 'mend' ? 'serves' : `${mode}s`} ${who}.`));
  });

  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    deps.logger.error('console request failed', errorFields(error));
    res
      .status(500)
      .type('html')
      .send(notice(`Failed: ${error instanceof Error ? error.message : String(error)}`));
  };
  app.use(onError);
  return app;
}

/** What the operator sees after a replay: how many went back, and why any did not. */
function replaySummary(subscriber: string, results: ReplayResult[]): string {
  const back = results.filter(wentBack).length;
  const letters = (n: number) => (n === 1 ? '1 dead letter' : `${n} dead letters`);
  const others = results
    .filter((r) => !wentBack(r))
    .map((r) => ` Not replayed: ${r.letter.key}: ${replayOutcomeText[r.outcome]}.`);
  return `Replayed ${letters(back)} to ${subscriber}.${others.join('')}`;
}

/** The current value of a watched source, for a one-off read. */
function first<T>(source: Watchable<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    // Stopped on the next turn: the source may call back before `watch` has returned.
    const stop = source.watch(
      (value) => {
        setImmediate(() => stop());
        resolve(value);
      },
      (error) => {
        setImmediate(() => stop());
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
