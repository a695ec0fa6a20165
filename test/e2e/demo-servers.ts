import { build, createServer, preview } from 'vite';
import { demoConfig } from '../../vite.config.js';
import { freePort } from './free-port.js';

/** A demo page server for a test: its URL (with a trailing slash) and how to stop it. */
export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

/** What `npm start` serves: Vite's dev server on an ephemeral port, talking to `apiUrl`. */
export async function startDemoDevServer(apiUrl: string, signUserToken?: () => Promise<string>): Promise<DemoServer> {
  const server = await createServer({ ...demoConfig({ apiUrl, port: await freePort(), signUserToken }), configFile: false, logLevel: 'warn' });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the Vite dev server reported no local URL');
  return { url, close: () => server.close() };
}

/** What `vite build` produces, built for `apiUrl` into `outDir` and served by `vite preview`. */
export async function startBuiltDemo(apiUrl: string, outDir: string): Promise<DemoServer> {
  const config = demoConfig({ apiUrl, port: 0 });
  await build({ ...config, configFile: false, logLevel: 'warn', build: { ...config.build, outDir } });
  const server = await preview({ ...config, configFile: false, logLevel: 'warn', build: { ...config.build, outDir } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview reported no local URL');
  return { url, close: () => server.close() };
}
