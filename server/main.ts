import { ConfigError, loadConfigFromEnv } from './config.js';
import { escapingLog } from './core/log-text.js';
import { startServer } from './start.js';
import type { PairingAppSetting } from './pairing/pairing-app.js';

const PAIRING_APP_SOURCES: Record<PairingAppSetting['source'], string> = {
  env: 'INK_AUTH_PAIRING_APP',
  file: '"pairing" in the apps file',
  'only-web-app': 'the only web app',
  none: 'none',
};

const print = escapingLog((line) => console.log(line));
const printError = escapingLog((line) => console.error(line));

/** `npm run server`: environment → config → listen on HOST:PORT (127.0.0.1:3030). */
async function main(): Promise<void> {
  let config;
  try {
    config = await loadConfigFromEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      printError(`ink-auth server not started: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const port = Number(process.env.PORT ?? 3030);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    printError(`ink-auth server not started: PORT must be 0…65535, got "${process.env.PORT}".`);
    process.exit(1);
  }
  let server;
  try {
    server = await startServer({ port, host: process.env.HOST ?? '127.0.0.1', config });
  } catch (error) {
    // Opening the state fails with a ConfigError that names DATABASE_URL or the SQLite file.
    if (error instanceof ConfigError) {
      console.error(`ink-auth server not started: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  if (config.jwtSecretGenerated) {
    print('INKEEP_ANON_JWT_SECRET is not set: using a random per-process secret (tokens die with this process).');
  }
  const pow = config.pow ? `on (${config.pow.format}, difficulty ${config.pow.difficulty})` : 'off';
  print(`ink-auth reference server listening on ${server.url} — ${config.apps.length} app(s), proof of work ${pow}`);
  const { maxConnections, maxConnectionsPerAddress, openFileLimit } = server.connectionLimits;
  print(
    `connections: at most ${maxConnections} in total and ${maxConnectionsPerAddress} per client address ` +
      `(open-file limit ${openFileLimit ?? 'unknown, assumed 1024'})`,
  );
  const pairingApp = config.pairingApp;
  print(
    pairingApp?.appId
      ? `Pairing without an app id pairs with ${pairingApp.appId} (${PAIRING_APP_SOURCES[pairingApp.source]}).`
      : 'Pairing needs an app id: no pairing app (set INK_AUTH_PAIRING_APP or "pairing" in the apps file).',
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
