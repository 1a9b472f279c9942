import type { Express, IRouter } from 'express';

export interface ServedRoute {
  method: string;
  /** As OpenAPI spells it: `/orders/{id}`. */
  path: string;
}

type Layer = IRouter['stack'][number] & {
  /** Express 5's router: set when the layer is mounted at the root (`app.use(router)`). */
  slash?: boolean;
};

/**
 * Every method and path an Express 5 app serves, including those of the routers it mounts
 * (`app.use(router)`): the relay endpoint is one. Express keeps no mount path that could be
 * prefixed, so a router mounted below the root is refused rather than listed wrongly.
 */
export function routesOf(app: Express): ServedRoute[] {
  return walk(app.router.stack);
}

function walk(stack: readonly Layer[]): ServedRoute[] {
  return stack.flatMap((layer) => {
    const nested = (layer.handle as Partial<IRouter>).stack;
    if (!layer.route && nested) {
      if (!layer.slash) throw new Error('a router mounted below the root: list its routes by hand');
      return walk(nested);
    }
    const route = layer.route;
    if (!route) return [];
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    return [...new Set(route.stack.map((handler) => handler.method))].map((method) => ({
      method,
      path,
    }));
  });
}
