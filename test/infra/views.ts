import type { Declarations } from './mocks.js';

export const pushAccountId = 'orderflow-pubsub-push';
export const relayAccountId = 'orderflow-scheduler';

export function emailOf(declared: Declarations, accountId: string): string {
  return String(
    declared.one('gcp:serviceaccount/account:Account', 'accountId', accountId).state.email,
  );
}

export const memberOf = (declared: Declarations, accountId: string) =>
  `serviceAccount:${emailOf(declared, accountId)}`;

export function cloudRun(declared: Declarations, service: string) {
  return declared.one('gcp:cloudrunv2/service:Service', 'name', service);
}

export function urlOf(declared: Declarations, service: string): string {
  return String(cloudRun(declared, service).state.uri);
}

export function containerOf(declared: Declarations, service: string) {
  const containers = cloudRun(declared, service).inputs.template.containers ?? [];
  if (containers.length !== 1) throw new Error(`${service} should run one container`);
  return containers[0]!;
}

/** The container's environment, by variable name. */
export function envOf(declared: Declarations, service: string) {
  return new Map((containerOf(declared, service).envs ?? []).map((e) => [e.name, e]));
}

export function plainEnv(declared: Declarations, service: string, name: string): string {
  const value = envOf(declared, service).get(name)?.value;
  if (value === undefined) throw new Error(`${service} has no plain ${name}`);
  return value;
}

export function invokersOf(declared: Declarations, service: string): string[] {
  const bindings = declared
    .ofType('gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding')
    .filter((b) => b.inputs.name === service && b.inputs.role === 'roles/run.invoker');
  return bindings.flatMap((b) => b.inputs.members);
}
