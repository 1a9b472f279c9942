/** One line of the combined log: the source's name, then its line, JSON logs made readable. */
export function humanLine(source: string, line: string): string {
  const name = `[${source}]`.padEnd(20);
  if (!line.startsWith('{')) return `${name} ${line}`;
  try {
    const {
      severity,
      message,
      time: _time,
      service: _service,
      ...fields
    } = JSON.parse(line) as Record<string, unknown>;
    const rest = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    return `${name} ${String(severity).padEnd(7)} ${String(message)}${rest}`;
  } catch {
    return `${name} ${line}`;
  }
}
