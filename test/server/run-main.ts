import { spawn } from 'node:child_process';
import { once } from 'node:events';

const MAIN = new URL('../../server/main.ts', import.meta.url).pathname;

export interface MainRun {
  /** Exit code, or `null` while it is still running (it printed its listening line). */
  code: number | null;
  out: string;
  err: string;
  url?: string;
  stop: () => Promise<void>;
}

/**
 * Runs `server/main.ts` with only the given env (plus PATH, PORT=0 and INK_AUTH_DB=:memory:, so
 * a test never writes the checkout's `.data/`); resolves on exit or on the listening line, and
 * after `timeoutMs` at the latest (then it is killed).
 */
export function runMain(env: Record<string, string>, timeoutMs = 30_000): Promise<MainRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', INK_AUTH_DB: ':memory:', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };
  return new Promise((resolve) => {
    const timer = setTimeout(() => void stop().then(() => resolve({ code: null, out, err: `${err}\n(timed out)`, stop })), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ code: null, out, err, url, stop });
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, stop });
    });
  });
}
