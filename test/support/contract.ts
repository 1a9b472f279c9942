import type { Express } from 'express';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '@orderflow/order/http/openapi';

type Document = ReturnType<typeof openApiDocument>;
interface Responses {
  [status: string]: { content?: Record<string, unknown> } | undefined;
}

export const document: Document = openApiDocument();
// OpenAPI 3.1 schemas are JSON Schema 2020-12; the rest of the document is not, hence not strict.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(document, 'openapi.json');
const compiled = new Map<string, ValidateFunction>();

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Why a response does not match the document, or undefined when it does. */
export function contractViolation(
  method: string,
  route: string,
  status: number,
  contentType: string,
  body: unknown,
): string | undefined {
  const path = route.replace(/:(\w+)/g, '{$1}');
  const verb = method.toLowerCase();
  const operation = (
    document.paths?.[path] as Record<string, { responses: Responses }> | undefined
  )?.[verb];
  if (!operation) return `${method} ${path} is not in the document`;
  const media = contentType.split(';')[0]!.trim();
  if (!operation.responses[String(status)]?.content?.[media]) {
    return `${method} ${path} answered ${status} ${media}, which the document does not list`;
  }
  const ref = `openapi.json#/${pointer('paths', path, verb, 'responses', String(status), 'content', media, 'schema')}`;
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  if (validate(body)) return undefined;
  return `${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}`;
}

/**
 * Makes the app check every JSON answer of a matched route against /openapi.json. A mismatch
 * is answered 500 with the reason instead, so whichever HTTP test made the request fails.
 */
export function checkResponsesAgainstContract(app: Express): void {
  const json = app.response.json;
  app.response.json = function (this: typeof app.response, body: unknown) {
    const route = (this.req.route as { path?: string } | undefined)?.path;
    const violation =
      route === undefined
        ? undefined
        : contractViolation(
            this.req.method,
            route,
            this.statusCode,
            this.get('content-type') ?? 'application/json',
            JSON.parse(JSON.stringify(body)) as unknown,
          );
    if (!violation) return json.call(this, body);
    this.status(500).type('text/plain');
    return this.send(`response does not match /openapi.json: ${violation}`);
  };
}
