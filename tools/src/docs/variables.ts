import * as z from 'zod';

/** One environment variable as the reference shows it. */
export interface Variable {
  name: string;
  type: string;
  /** The default, `required`, `optional`, or `required unless …` for one mode of a switch. */
  presence: string;
  secret: boolean;
  description: string;
}

/** The JSON Schema keywords zod writes for a configuration's fields (`z.toJSONSchema`). */
interface Schema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  default?: unknown;
  description?: string;
  secret?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

/** A variable as one branch of the schema declares it, with whether that branch requires it. */
interface Declaration {
  schema: Schema;
  required: boolean;
  /** The switch that selects the branch, e.g. `RELAY_AUTH=oidc`, when the branch is one of several. */
  when?: Branch;
}

interface Branch {
  label: string;
  /** Every branch of that union, this one included. */
  of: string[];
}

/**
 * The variables a configuration schema reads, in declaration order. zod's JSON Schema does the
 * walking through zod's types; what remains is to gather each variable's declarations from the
 * intersections (`allOf`) and unions (`oneOf`: `<NAME>=off` or a mode with its settings) that the
 * shared parts of the configurations are composed of.
 */
export function variables(schema: z.ZodType): Variable[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
  const declared = new Map<string, Declaration[]>();
  collect(json, declared);
  return [...declared].map(([name, declarations]) => describe(name, declarations));
}

function collect(schema: Schema, into: Map<string, Declaration[]>, when?: Branch): void {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const declaration = { schema: property, required: schema.required?.includes(name) ?? false };
    into.set(name, [...(into.get(name) ?? []), when ? { ...declaration, when } : declaration]);
  }
  for (const part of [...(schema.allOf ?? []), ...(schema.anyOf ?? [])]) collect(part, into, when);
  const branches = schema.oneOf ?? [];
  const switchName = branches.length > 1 ? discriminator(branches) : undefined;
  const labels = branches.map(
    (b) => `${switchName}=${values(b.properties?.[switchName ?? ''] ?? {}).join('|')}`,
  );
  branches.forEach((branch, i) =>
    collect(branch, into, switchName ? { label: labels[i] ?? '', of: labels } : when),
  );
}

/** The property each branch of a union fixes to values of its own. */
function discriminator(branches: Schema[]): string | undefined {
  const [first] = branches;
  return Object.keys(first?.properties ?? {}).find((name) => {
    const fixed = branches.map((branch) => values(branch.properties?.[name] ?? {}).join());
    return !fixed.includes('') && new Set(fixed).size === branches.length;
  });
}

function values(schema: Schema): string[] {
  const own = schema.const !== undefined ? [schema.const] : (schema.enum ?? []);
  return [...own, ...(schema.allOf ?? []).flatMap(values)].map(String);
}

function describe(name: string, declarations: Declaration[]): Variable {
  const schemas = declarations.flatMap(({ schema }) => [schema, ...(schema.allOf ?? [])]);
  const description = schemas.find((s) => s.description)?.description;
  if (!description) throw new Error(`${name} has no description: add .describe() to its schema`);
  const choices = [...new Set(schemas.flatMap(values))];
  return {
    name,
    type: choices.length > 0 ? choices.map((c) => `\`${c}\``).join(', ') : type(schemas),
    presence: presence(declarations),
    secret: schemas.some((s) => s.secret),
    description,
  };
}

function presence(declarations: Declaration[]): string {
  const fallback = declarations.find(({ schema }) => schema.default !== undefined)?.schema.default;
  if (fallback === '') return 'empty';
  if (fallback !== undefined)
    return `\`${typeof fallback === 'string' ? fallback : JSON.stringify(fallback)}\``;
  const required = declarations.filter((d) => d.required);
  if (required.length === 0) return 'optional';
  const branches = required.map((d) => d.when);
  const all = branches[0]?.of ?? [];
  const unless = all.filter((label) => !branches.some((b) => b?.label === label));
  return branches.some((b) => !b) || unless.length === 0
    ? 'required'
    : `required unless ${unless.join(', ')}`;
}

function type(schemas: Schema[]): string {
  const merged = schemas.reduce<Schema>((all, schema) => ({ ...all, ...schema }), {});
  const kind = { uri: 'URL', email: 'e-mail address' }[merged.format ?? ''] ?? merged.type ?? 'any';
  // A format says it better than the pattern zod writes for it.
  const pattern = merged.format ? undefined : merged.pattern;
  return [kind, ...bounds(merged), pattern && `\`${pattern}\``].filter(Boolean).join(' ');
}

function bounds({ minimum, exclusiveMinimum, maximum }: Schema): string[] {
  return [
    minimum !== undefined ? `≥ ${minimum}` : undefined,
    exclusiveMinimum !== undefined ? `> ${exclusiveMinimum}` : undefined,
    maximum !== undefined && maximum < Number.MAX_SAFE_INTEGER ? `≤ ${maximum}` : undefined,
  ].filter((bound) => bound !== undefined);
}
