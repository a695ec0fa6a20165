/** Hono environment shared by the app, its middleware and its routes. */
export interface AppEnv {
  Variables: { requestId: string };
}
