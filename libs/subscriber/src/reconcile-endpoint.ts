import type { RequestHandler, Router } from 'express';
import { express } from '@orderflow/platform';
import { reconcilePath } from '@orderflow/topology';
import {
  reconcile,
  type ReconcileDeps,
  type ReconcilePolicy,
  type Reconciled,
} from './reconciler.js';

export interface ReconcileEndpointDeps extends ReconcileDeps {
  subscribers: readonly Reconciled[];
  policy: ReconcilePolicy;
  /** Admits only the scheduler; absent when the configuration turns it off. */
  auth?: RequestHandler | undefined;
}

/** `POST /internal/deliveries/reconcile`, which Cloud Scheduler calls (locally, the local system). */
export function reconcileEndpoint(deps: ReconcileEndpointDeps): Router {
  const caller: RequestHandler = deps.auth ?? ((_req, _res, next) => next());
  return express.Router().post(reconcilePath, caller, async (_req, res) => {
    res.json(await reconcile(deps, deps.subscribers, deps.policy));
  });
}
