/**
 * `npm start`: the main job on a fresh machine. Starts the reference server (proof of work on, a
 * development secret, the seeded demo app), then Vite's dev server for the demo page on another
 * origin, as on a real website: hot reload, the strict CSP (vite.config.ts). Ctrl-C stops both.
 *
 *   API   http://127.0.0.1:3030   (PORT, HOST)
 *   demo  http://localhost:5173   (DEMO_PORT)
 *
 * Every INKEEP_* / INK_AUTH_* variable of the server still applies; this script only fills in
 * development defaults for the ones left unset.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'vite';
import { ConfigError, loadConfigFromEnv, startServer } from '../server/index.js';
import { demoConfig } from '../vite.config.js';
import { adminKeyEntries } from '../server/manage/admin-auth.js';
import { setUpDemoSignIn } from './demo-sign-in.js';

const env: NodeJS.ProcessEnv = { ...process.env };
env.NODE_ENV ??= 'development';
// The demo shows the proof of work; a fresh HMAC secret per run is fine for development.
env.INKEEP_POW_HMAC_SECRET ??= randomBytes(32).toString('hex');
env.INK_AUTH_DB ??= '.data/ink-auth.db';
const generatedAdminKey = env.INK_AUTH_ADMIN_KEYS ? null : `ink_admin_${randomBytes(24).toString('base64url')}`;
if (generatedAdminKey) env.INK_AUTH_ADMIN_KEYS = `tenant_demo:${generatedAdminKey}`;

const apiHost = env.HOST ?? '127.0.0.1';
const apiPort = Number(env.PORT ?? 3030);
const demoPort = Number(env.DEMO_PORT ?? 5173);

async function main(): Promise<void> {
  const config = await loadConfigFromEnv(env);
  const api = await startServer({ host: apiHost, port: apiPort, config });
  const signIn = await demoSignIn(api.url);
  const demo = await createServer({ ...demoConfig({ apiUrl: api.url, port: demoPort, signUserToken: signIn?.sign }), configFile: false });
  await demo.listen();
  const demoUrl = demo.resolvedUrls?.local[0] ?? `http://localhost:${demoPort}/`;
  const pow = config.pow ? `on (${config.pow.format}, maxnumber ${config.pow.difficulty})` : 'off';
  console.log(`ink-auth reference server  ${api.url}   proof of work ${pow}`);
  const caps = api.connectionLimits;
  console.log(`connections: at most ${caps.maxConnections} in total and ${caps.maxConnectionsPerAddress} per client address (open-file limit ${caps.openFileLimit ?? 'unknown, assumed 1024'})`);
  if (generatedAdminKey) console.log(`manage API admin key (tenant_demo, this run only): ${generatedAdminKey}`);
  console.log(`\n  Open the demo:  ${demoUrl}   (Vite: edits reload the page)\n`);
  const stop = (): void => {
    void Promise.allSettled([api.close(), demo.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * The "Sign in as demo user" button's backend, when the demo app is the seeded one and an admin
 * key of its tenant is known (the generated one, or one in INK_AUTH_ADMIN_KEYS); else none.
 */
async function demoSignIn(apiUrl: string) {
  const tenantId = 'tenant_demo';
  // Already validated by loadConfigFromEnv; the key is everything after the first colon.
  const adminKey = adminKeyEntries(env.INK_AUTH_ADMIN_KEYS).find((entry) => entry.tenantId === tenantId)?.key;
  if (!adminKey) return null;
  try {
    return await setUpDemoSignIn({ apiUrl, tenantId, projectId: 'project_demo', appId: 'app_inkauthdemo0000000000', adminKey });
  } catch (error) {
    console.warn(`demo sign-in not available: ${(error as Error).message}`);
    return null;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`ink-auth not started: ${error.message}`);
  // The API's listen() fails with EADDRINUSE, Vite's strictPort with "Port … is already in use".
  else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' || /is already in use/.test(String((error as Error).message))) {
    console.error(`ink-auth not started: ${(error as Error).message} (set PORT or DEMO_PORT to free ports)`);
  } else console.error(error);
  process.exit(1);
});
