/** @jsxRuntime automatic @jsxImportSource preact */
import { formatMoney } from '@orderflow/platform/money';
import type { OrderView } from '../ports.js';
import { OrderFlow, OrderSummary } from './flow.js';

export function OrderDetail({
  view,
  subscribers,
}: {
  view: OrderView | undefined;
  subscribers: readonly string[];
}) {
  if (!view) return <p class="empty">No such order.</p>;
  const { order, fulfilment } = view;
  return (
    <>
      <OrderSummary view={view} />
      <OrderFlow view={view} subscribers={subscribers} />
      <h3>Lines</h3>
      <table>
        <thead>
          <tr>
            <th>product</th>
            <th>seller</th>
            <th>quantity</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => (
            <tr>
              <td>{l.name}</td>
              <td>{l.sellerId}</td>
              <td>{l.quantity}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>total {formatMoney(order.totalCents, order.currency)}</p>
      <h3>Deliveries</h3>
      <table>
        <thead>
          <tr>
            <th>subscriber</th>
            <th>state</th>
            <th>attempts</th>
            <th>last error</th>
            <th>updated</th>
            <th>event</th>
          </tr>
        </thead>
        <tbody>
          {subscribers.map((name) => {
            const r = fulfilment[name];
            return (
              <tr>
                <td>{name}</td>
                <td>{r?.state ?? 'pending'}</td>
                <td>{r?.attempts ?? 0}</td>
                <td>{r?.lastError ?? '-'}</td>
                <td>{r?.updatedAt ?? '-'}</td>
                <td>
                  <code>{r?.eventId ?? '-'}</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
