/** @jsxRuntime automatic @jsxImportSource preact */
import { statusText, waterfallRows, type Trace } from '../../shared/traces.js';

/**
 * The order's trace as a waterfall: each span under its parent, with a bar from its start offset
 * for its duration, on one time scale for the whole trace. The rows are those of
 * `npm run -s trace`; an error is red with its message.
 */
export function Waterfall({ trace }: { trace: Trace | undefined }) {
  if (!trace) return <p class="empty">No spans of this order in the local span store yet.</p>;
  const rows = waterfallRows(trace);
  const totalMs = Math.max(1, ...rows.map((r) => r.offsetMs + r.span.durationMs));
  const percent = (ms: number) => ((ms / totalMs) * 100).toFixed(2);
  return (
    <>
      <p class="figures">
        trace <code>{trace.traceId}</code>, {rows.length} spans, {totalMs.toFixed(0)} ms
      </p>
      <table class="waterfall" aria-label="trace waterfall">
        <thead>
          <tr>
            <th>service</th>
            <th>span</th>
            <th>start</th>
            <th>duration</th>
            <th>status</th>
            <th class="timeline" />
          </tr>
        </thead>
        <tbody>
          {rows.map(({ span, depth, offsetMs }) => (
            <tr
              aria-label={`span ${span.name}`}
              class={`span service-${span.service} status-${span.status}`}
            >
              <td>{span.service}</td>
              <td class="span-name" style={{ paddingLeft: `${depth + 0.3}em` }}>
                {span.name}
              </td>
              <td>+{offsetMs} ms</td>
              <td>{span.durationMs.toFixed(1)} ms</td>
              <td>{statusText(span)}</td>
              <td class="timeline">
                <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                  <rect
                    x={percent(offsetMs)}
                    y="1"
                    width={percent(Math.max(span.durationMs, totalMs / 500))}
                    height="8"
                  />
                </svg>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
