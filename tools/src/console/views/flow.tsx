/** @jsxRuntime automatic @jsxImportSource preact */
import type { FulfilmentRecord, FulfilmentState } from '@orderflow/events';
import { formatMoney } from '@orderflow/platform/money';
import type { OrderView } from '../ports.js';

const symbols: Record<FulfilmentState, string> = {
  pending: '…',
  done: '✓',
  retrying: '↻',
  'dead-lettered': '✕',
};

const attemptsText = (n: number) => (n === 1 ? '1 attempt' : `${n} attempts`);

/** One subscriber's node in the picture; one with no record has not seen the event yet. */
function SubscriberNode({ name, record }: { name: string; record: FulfilmentRecord | undefined }) {
  const state = record?.state ?? 'pending';
  return (
    <li class={`node state-${state}`} aria-label={`${name}: ${state}`} data-state={state}>
      <span class="node-name">{name}</span>
      <span class="node-state">
        {symbols[state]} {state}
      </span>
      {record && record.attempts > 0 && (
        <span class="node-attempts">{attemptsText(record.attempts)}</span>
      )}
      {record?.lastError && state !== 'done' && <span class="node-error">{record.lastError}</span>}
    </li>
  );
}

/** The order's event fanning out to each subscriber, coloured by where the subscriber stands. */
export function OrderFlow({
  view,
  subscribers,
}: {
  view: OrderView;
  subscribers: readonly string[];
}) {
  return (
    <div class="flow">
      <div class="node node-event">order.placed</div>
      <ol class="fanout" aria-label="subscribers">
        {subscribers.map((name) => (
          <SubscriberNode name={name} record={view.fulfilment[name]} />
        ))}
      </ol>
    </div>
  );
}

export function OrderSummary({ view }: { view: OrderView }) {
  const { order } = view;
  return (
    <p class="order-summary">
      <span>
        customer <code>{order.customer.id}</code>
      </span>
      <span>{formatMoney(order.totalCents, order.currency)}</span>
      <span>sellers {[...new Set(order.lines.map((l) => l.sellerId))].join(', ')}</span>
      <time datetime={order.createdAt}>{order.createdAt.replace('T', ' ').slice(0, 19)}</time>
    </p>
  );
}

/** An order in the list: its summary and its picture, with the detail and the raw JSON a click away. */
export function OrderCard({
  view,
  subscribers,
}: {
  view: OrderView;
  subscribers: readonly string[];
}) {
  const id = view.order.id;
  return (
    <article class="order" id={`order-${id}`} aria-label={`order ${id}`}>
      <header>
        <a href={`/orders/${encodeURIComponent(id)}`}>
          <code>{id}</code>
        </a>
        <a class="raw" href={`/api/orders/${encodeURIComponent(id)}`}>
          raw JSON
        </a>
      </header>
      <OrderSummary view={view} />
      <OrderFlow view={view} subscribers={subscribers} />
    </article>
  );
}

export function OrdersList({
  views,
  subscribers,
  search,
}: {
  views: OrderView[];
  subscribers: readonly string[];
  search: string | undefined;
}) {
  if (views.length === 0) {
    return <p class="empty">{search ? `No order or customer ${search}.` : 'No orders yet.'}</p>;
  }
  return (
    <>
      {views.map((view) => (
        <OrderCard view={view} subscribers={subscribers} />
      ))}
    </>
  );
}
