/** A key figure measured against its target. */
export interface Target<T> {
  target: number;
  met: boolean;
  value: T;
}
