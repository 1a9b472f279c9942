/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { DemoSwitches } from './panels.js';

/** The frame of every page: header, the confirmation dialog, the notice line and the scripts. */
export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content="includeIndicatorCSS:false" />
        <title>{title}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/console.css" />
        {/* Not deferred: htmx starts at once if the document has been parsed, and would then
            process the page before its SSE extension had registered. */}
        <script src="/assets/htmx/htmx.min.js" />
        <script src="/assets/htmx/ext/hx-sse.min.js" />
        <script src="/assets/chart.js/chart.umd.min.js" defer />
        <script src="/assets/console.js" defer />
      </head>
      <body>
        <header class="top">
          <a href="/" class="brand">
            Orderflow console
          </a>
          <form action="/" method="get" role="search">
            <input
              type="search"
              name="q"
              placeholder="order id or customer id"
              aria-label="search orders"
              hx-get="/"
              hx-trigger="input changed delay:300ms, search"
              hx-select="#orders-live"
              hx-target="#orders-live"
              hx-swap="outerHTML"
              hx-push-url="true"
            />
          </form>
          <p id="notice" role="status" />
        </header>
        {children}
        <dialog id="confirm" aria-labelledby="confirm-title">
          <form method="dialog">
            <h2 id="confirm-title">Are you sure?</h2>
            <p id="confirm-text" />
            <div class="actions">
              <button value="cancel">Cancel</button>
              <button value="confirm" class="danger">
                Confirm
              </button>
            </div>
          </form>
        </dialog>
      </body>
    </html>
  );
}

const search = (q: string | undefined) => (q ? `?q=${encodeURIComponent(q)}` : '');

/** The operator's page: orders on the left, the operations on the right, all live. */
export function ConsolePage(props: {
  search: string | undefined;
  sellers: { id: string; name: string }[] | undefined;
}) {
  return (
    <Page title="Orderflow console">
      <main class="columns">
        <section
          id="orders-live"
          class="orders"
          aria-label="orders"
          hx-sse:connect={`/live/orders${search(props.search)}`}
        >
          <h2>{props.search ? `Orders matching ${props.search}` : 'Recent orders'}</h2>
          <div id="orders">
            <p class="empty">Connecting…</p>
          </div>
        </section>
        <div class="operations" hx-sse:connect="/live/operations">
          <section aria-labelledby="dead-letters-title">
            <h2 id="dead-letters-title">Dead letters</h2>
            <div id="dead-letters" />
          </section>
          <section aria-labelledby="outbox-title">
            <h2 id="outbox-title">Outbox</h2>
            <div id="outbox" />
          </section>
          <section aria-labelledby="segments-title">
            <h2 id="segments-title">Customer segments</h2>
            <canvas id="segment-chart" role="img" aria-label="customers per segment" />
            <div id="segments" />
          </section>
          {props.sellers && (
            <section aria-labelledby="demo-title">
              <h2 id="demo-title">Demo switches</h2>
              <DemoSwitches sellers={props.sellers} />
              <div id="behaviours" />
            </section>
          )}
        </div>
      </main>
    </Page>
  );
}

/** One order in full: its picture, its lines, its delivery records and its trace, live. */
export function OrderPage({ orderId, traced }: { orderId: string; traced: boolean }) {
  return (
    <Page title={`Order ${orderId}`}>
      <main class="detail" hx-sse:connect={`/live/orders/${encodeURIComponent(orderId)}`}>
        <h2>
          Order <code>{orderId}</code>{' '}
          <a class="raw" href={`/api/orders/${encodeURIComponent(orderId)}`}>
            raw JSON
          </a>
        </h2>
        <div id="order-detail">
          <p class="empty">Connecting…</p>
        </div>
        <section aria-labelledby="trace-title">
          <h3 id="trace-title">Trace</h3>
          {traced ? (
            <div id="order-trace" />
          ) : (
            <p class="empty">
              In Google Cloud the order's trace is in Cloud Trace: search for the attribute{' '}
              <code>orderflow.order_id</code> = <code>{orderId}</code>.
            </p>
          )}
        </section>
      </main>
    </Page>
  );
}
