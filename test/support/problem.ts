import { expect } from 'chai';
import type { Response } from 'supertest';
import type { ProblemCode, ProblemDocument } from '@orderflow/platform';

export type Problem = ProblemDocument & { invalidParams?: { name: string; reason: string }[] };

/** Asserts an RFC 9457 problem document with this status and code, and returns it. */
export function expectProblem(res: Response, status: number, code: ProblemCode): Problem {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
  const problem = res.body as Problem;
  expect(problem).to.include({ status, code, type: `urn:orderflow:problem:${code}` });
  expect(problem.title).to.be.a('string').that.is.not.empty;
  return problem;
}

/** The failing field names of an `invalid-request` problem. */
export const invalidParamNames = (problem: Problem) =>
  (problem.invalidParams ?? []).map((param) => param.name);
