import type * as z from 'zod';
import { AppError } from '@orderflow/platform';

export interface InvalidParam {
  name: string;
  reason: string;
}

/** Parses client input, or fails with `invalid-request` listing every failing field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  detail: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const invalidParams: InvalidParam[] = result.error.issues.map((issue) => ({
    name: issue.path.length ? issue.path.join('.') : '(body)',
    reason: issue.message,
  }));
  throw new AppError('invalid-request', detail, { invalidParams });
}
