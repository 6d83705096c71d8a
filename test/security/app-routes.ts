import type { NestExpressApplication } from '@nestjs/platform-express';

export interface AppRoute {
  /** Upper case: GET, POST, DELETE, ... */
  method: string;
  /** As registered, with its parameters: "/tasks/:id". */
  path: string;
}

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/**
 * Every route the running app serves, read from its Express router: what is actually mapped,
 * not a list kept by hand, so a route added later is covered without editing a test.
 */
export function appRoutes(app: NestExpressApplication): AppRoute[] {
  const express = app.getHttpAdapter().getInstance() as {
    router?: { stack: RouteLayer[] };
    _router?: { stack: RouteLayer[] };
  };
  const stack = (express.router ?? express._router)?.stack;
  if (!stack) throw new Error('cannot read the Express router of the app');
  const routes: AppRoute[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all')
          routes.push({ method: method.toUpperCase(), path: String(path) });
      }
    }
  }
  return routes;
}
