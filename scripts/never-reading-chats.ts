/**
 * The slow-reader attack, shared by `npm run load` and the security tests: sockets that send
 * chat requests (pipelined, so their answers outgrow the loopback buffers) and never read a
 * byte of what comes back. Loopback only.
 */
import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface NeverReadingChatsOptions {
  port: number;
  /** Source addresses on 127.0.0.0/8; sockets are spread over them in turn. */
  addresses: readonly string[];
  /** How many sockets. */
  sockets: number;
  /** Chat requests written on each socket at once. */
  requestsPerSocket: number;
  /** Head fields (Authorization, x-inkeep-app-id, Origin…) of the requests; socket `i` sends entry `i mod length`. */
  headers: ReadonlyArray<Record<string, string>>;
  /** The JSON body of every request. */
  body: string;
  path?: string;
}

/** The open attack. A paused socket never sees the server's FIN, so closes are not counted. */
export interface NeverReadingChats {
  sockets: Socket[];
  /** Destroys every socket still open. */
  stop(): void;
}

function rawRequest(path: string, port: number, headers: Record<string, string>, body: string): string {
  const fields = Object.entries({ host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `POST ${path} HTTP/1.1\r\n${fields}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Opens the sockets and writes their requests; resolves once every socket is connected. */
export async function openNeverReadingChats(options: NeverReadingChatsOptions): Promise<NeverReadingChats> {
  for (const address of options.addresses) {
    if (!address.startsWith('127.')) throw new Error(`the attack runs on loopback only, not from ${address}`);
  }
  const path = options.path ?? '/run/api/chat';
  const sockets = await Promise.all(
    Array.from({ length: options.sockets }, (_, i) => {
      const request = rawRequest(path, options.port, options.headers[i % options.headers.length] ?? {}, options.body);
      const localAddress = options.addresses[i % options.addresses.length];
      return new Promise<Socket>((resolve, reject) => {
        const socket = connect({ port: options.port, host: '127.0.0.1', localAddress });
        socket.pause(); // never read
        socket.on('error', () => {});
        socket.once('connect', () => {
          for (let k = 0; k < options.requestsPerSocket; k++) socket.write(request);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    }),
  );
  return {
    sockets,
    stop() {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** The attack running in a child process, as a real attacker would: its work is not the server's. */
export interface ForkedNeverReadingChats {
  /** Destroys the sockets and waits for the child to exit. */
  stop(): Promise<void>;
}

type AttackMessage = { type: 'open' };

/** Runs {@link openNeverReadingChats} in a child process (this file); resolves once its sockets are open. */
export async function forkNeverReadingChats(options: NeverReadingChatsOptions): Promise<ForkedNeverReadingChats> {
  const child = fork(fileURLToPath(import.meta.url), ['--never-reading-chats'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the attack child did not open its sockets within 30 s')), 30_000);
    child.on('message', (message: AttackMessage) => {
      if (message.type !== 'open') return;
      clearTimeout(timer);
      resolve();
    });
    void exited.then(() => reject(new Error('the attack child exited early')));
    child.send(options);
  });
  return {
    async stop() {
      if (child.exitCode === null) child.send('stop');
      await exited;
    },
  };
}

/** Child side: opens the sockets it is sent, stops when told (or after 5 minutes at most). */
function serveAttack(): void {
  let attack: NeverReadingChats | undefined;
  const finish = (): void => {
    attack?.stop();
    process.exit(0);
  };
  const bound = setTimeout(finish, 5 * 60_000);
  process.on('message', async (message: NeverReadingChatsOptions | 'stop') => {
    if (message === 'stop') return finish();
    attack = await openNeverReadingChats(message);
    process.send?.({ type: 'open' });
  });
  process.once('disconnect', () => {
    clearTimeout(bound);
    finish();
  });
}

if (process.argv.includes('--never-reading-chats')) serveAttack();
