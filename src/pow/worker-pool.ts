import { InkAuthError } from '../errors.js';
import type { WorkerReply, WorkerRequest } from './messages.js';
import { createPowWorker, explainWorkerFailure } from './worker-factory.js';
import type { PowWorkerFactory, PowWorkerFormat } from './worker-config.js';

/** Who hears a pool's workers: their replies, and any failure to start or run them. */
export interface PoolListener {
  reply(reply: WorkerReply): void;
  failure(error: InkAuthError): void;
}

/**
 * PoW workers of one format, started before a challenge needs them (they load their script and
 * compile their kernel meanwhile). What they say before a solve listens is kept and replayed,
 * so a worker that fails to load while the challenge is in flight still fails the solve.
 */
export interface PowWorkerPool {
  readonly format: PowWorkerFormat;
  /** Number of workers asked for: worker i of `size` searches i, i + size, … */
  readonly size: number;
  /** False once terminated. */
  readonly live: boolean;
  /** Delivers every reply and failure to `listener`, first those that arrived before. */
  listen(listener: PoolListener): void;
  /** Sends worker `index` its request. */
  send(index: number, request: WorkerRequest): void;
  /** Aborts and terminates every worker; later events are dropped. Idempotent. */
  terminate(): void;
}

/**
 * Starts `size` workers for `format`. Never throws: a factory that refuses (e.g. a CSP without
 * `worker-src`) becomes a `pow_worker_failed` failure delivered to the listener, so a server
 * that asks for no proof of work is unaffected.
 */
export function startWorkerPool(format: PowWorkerFormat, size: number, factory: PowWorkerFactory = createPowWorker): PowWorkerPool {
  const workers: Worker[] = [];
  const backlog: Array<(listener: PoolListener) => void> = [];
  let listener: PoolListener | null = null;
  let live = true;
  const deliver = (event: (listener: PoolListener) => void) => {
    if (!live) return;
    if (listener) event(listener);
    else backlog.push(event);
  };
  const fail = (error: InkAuthError) => deliver((l) => l.failure(error));

  try {
    for (let i = 0; i < size; i++) {
      const worker = factory(format);
      workers.push(worker);
      worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => deliver((l) => l.reply(event.data)));
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        // Errors inside a running worker come as 'error' messages (worker-scope.ts): this is a
        // script that did not load or start, where a missing file and a CSP refusal look alike.
        const reason = event.message;
        void explainWorkerFailure(format).then((detail) =>
          fail(new InkAuthError('pow_worker_failed', reason ? `${detail} (${reason})` : detail)),
        );
      });
      worker.addEventListener('messageerror', () => fail(new InkAuthError('pow_worker_failed', 'The proof-of-work worker sent an unreadable message.')));
    }
  } catch (error) {
    fail(error instanceof InkAuthError ? error : new InkAuthError('pow_worker_failed', String(error), { cause: error }));
  }

  return {
    format,
    size,
    get live() {
      return live;
    },
    listen(next) {
      listener = next;
      for (const event of backlog.splice(0)) if (live) event(next);
    },
    send(index, request) {
      if (live) workers[index]?.postMessage(request);
    },
    terminate() {
      if (!live) return;
      live = false;
      for (const worker of workers) {
        worker.postMessage({ type: 'abort' } satisfies WorkerRequest);
        worker.terminate();
      }
    },
  };
}
