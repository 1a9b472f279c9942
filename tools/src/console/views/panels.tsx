/** @jsxRuntime automatic @jsxImportSource preact */
import type { DeadLetter, OutboxReport, SegmentCounts, SinkBehaviour } from '../ports.js';

export function Failure({ what, error }: { what: string; error: unknown }) {
  return (
    <p class="failure" role="alert">
      Could not read {what}: {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

function ReplayForm(props: {
  subscriber: string;
  letterKey?: string;
  confirm: string;
  label: string;
}) {
  return (
    <form hx-post="/dead-letters/replay" hx-confirm={props.confirm} hx-target="#notice">
      <input type="hidden" name="subscriber" value={props.subscriber} />
      {props.letterKey && <input type="hidden" name="key" value={props.letterKey} />}
      <button type="submit">{props.label}</button>
    </form>
  );
}

const short = (id: string | undefined) => (id ? id.slice(0, 8) : '-');

/** Per subscriber, its dead letters with their reason, and Replay for one or all. */
export function DeadLetters({
  letters,
  subscribers,
}: {
  letters: DeadLetter[];
  subscribers: readonly string[];
}) {
  return (
    <>
      {subscribers.map((subscriber) => {
        const own = letters.filter((l) => l.subscriber === subscriber);
        return (
          <section class="subscriber-letters" aria-label={`dead letters of ${subscriber}`}>
            <h3>
              {subscriber} <span class="count">{own.length}</span>
            </h3>
            {own.length === 0 ? (
              <p class="empty">None.</p>
            ) : (
              <>
                <table>
                  <thead>
                    <tr>
                      <th>order</th>
                      <th>event</th>
                      <th>part</th>
                      <th>attempts</th>
                      <th>dead-lettered</th>
                      <th>reason</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {own.map((l) => (
                      <tr aria-label={`dead letter ${l.key}`}>
                        <td>
                          {l.orderId ? (
                            <a href={`/orders/${encodeURIComponent(l.orderId)}`} title={l.orderId}>
                              {short(l.orderId)}
                            </a>
                          ) : (
                            '-'
                          )}
                        </td>
                        <td>
                          <code title={l.eventId ?? l.key}>{short(l.eventId ?? l.key)}</code>
                        </td>
                        <td>{l.part ?? '-'}</td>
                        <td>{l.attempts ?? '-'}</td>
                        <td>
                          <time datetime={l.deadLetteredAt}>{l.deadLetteredAt.slice(11, 19)}</time>
                        </td>
                        <td class="reason">{l.reason}</td>
                        <td>
                          <ReplayForm
                            subscriber={subscriber}
                            letterKey={l.key}
                            label="Replay"
                            confirm={`Replay ${l.key} (order ${l.orderId ?? '-'}) to ${subscriber}? It goes to ${subscriber} alone, with the same event id.`}
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <ReplayForm
                  subscriber={subscriber}
                  label={`Replay all ${own.length} of ${subscriber}`}
                  confirm={`Replay all ${own.length} dead letters of ${subscriber} to ${subscriber}? Each goes to ${subscriber} alone, with its own event id.`}
                />
              </>
            )}
          </section>
        );
      })}
    </>
  );
}

const time = (at: Date) => (
  <time datetime={at.toISOString()}>{at.toISOString().slice(11, 19)}</time>
);

/** The outbox: how much waits, what the relay is not keeping up with, and what it set aside. */
export function Outbox({ report }: { report: OutboxReport }) {
  return (
    <>
      <p class="figures">
        <span>
          pending <strong>{report.pending}</strong>
        </span>
        <span>
          stuck <strong class={report.stuck.length > 0 ? 'bad' : ''}>{report.stuck.length}</strong>
        </span>
        <span>
          set aside <strong class={report.setAside > 0 ? 'bad' : ''}>{report.setAside}</strong>
        </span>
        <span>
          published, kept 7 days <strong>{report.published}</strong>
        </span>
      </p>
      {report.stuck.length > 0 && (
        <table aria-label="stuck outbox entries">
          <thead>
            <tr>
              <th>order</th>
              <th>event</th>
              <th>created</th>
              <th>unpublished for</th>
            </tr>
          </thead>
          <tbody>
            {report.stuck.map((e) => (
              <tr class="stuck">
                <td>{e.orderId}</td>
                <td>
                  <code title={e.eventId}>{short(e.eventId)}</code>
                </td>
                <td>{time(e.createdAt)}</td>
                <td>{e.ageSeconds} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.latestSetAside.length > 0 && (
        <table aria-label="outbox entries set aside">
          <thead>
            <tr>
              <th>order</th>
              <th>event</th>
              <th>set aside</th>
              <th>reason</th>
            </tr>
          </thead>
          <tbody>
            {report.latestSetAside.map((e) => (
              <tr class="stuck">
                <td>{e.orderId}</td>
                <td>
                  <code title={e.eventId}>{short(e.eventId)}</code>
                </td>
                <td>{time(e.setAsideAt)}</td>
                <td class="reason">{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The numbers behind the chart, which console.js draws from this table. */
export function Segments({ counts }: { counts: SegmentCounts }) {
  return (
    <table class="segment-table" aria-label="customers per segment">
      <tbody>
        {Object.entries(counts).map(([segment, count]) => (
          <tr data-segment={segment} data-count={count}>
            <th scope="row">{segment}</th>
            <td>{count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const describe = (b: SinkBehaviour) =>
  b.status >= 300
    ? `fails with ${b.status}`
    : b.delayMs > 0
      ? `answers after ${b.delayMs} ms`
      : 'healthy';

/** Local only: make the sellers' webhook stand-in fail or slow, and mend it. */
export function DemoSwitches({ sellers }: { sellers: { id: string; name: string }[] }) {
  return (
    <form hx-put="/demo/behaviour" hx-target="#notice" class="switches">
      <label>
        seller{' '}
        <select name="sellerId">
          <option value="*">every seller</option>
          {sellers.map((s) => (
            <option value={s.id}>
              {s.name} ({s.id})
            </option>
          ))}
        </select>
      </label>
      <button type="submit" name="mode" value="fail">
        Fail
      </button>
      <button type="submit" name="mode" value="slow">
        Slow
      </button>
      <button type="submit" name="mode" value="mend">
        Mend
      </button>
    </form>
  );
}

/** What the stand-in does now, live. */
export function Behaviours({ behaviours }: { behaviours: Record<string, SinkBehaviour> }) {
  const set = Object.entries(behaviours);
  return (
    <ul class="behaviours" aria-label="webhook stand-in">
      {set.length === 0 ? (
        <li>every seller healthy</li>
      ) : (
        set.map(([seller, b]) => (
          <li>
            {seller === '*' ? 'every seller' : seller}: {describe(b)}
          </li>
        ))
      )}
    </ul>
  );
}
