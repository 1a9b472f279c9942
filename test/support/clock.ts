/** A clock that moves only when told to. */
export class ManualClock {
  private current: number;

  constructor(start = '2025-03-01T10:00:00.000Z') {
    this.current = Date.parse(start);
  }

  readonly now = (): Date => new Date(this.current);

  advance(ms: number): void {
    this.current += ms;
  }
}
