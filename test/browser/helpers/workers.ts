// A spy on the PoW workers the library starts, through its own injection point (configurePowWorker).
import { configurePowWorker } from '../../../src/pow/worker-config.js';
import type { PowWorkerFormat } from '../../../src/pow/worker-config.js';
import { onCleanup } from './harness.js';

/** The worker script of each format, as the dev server serves the sources. */
export const WORKER_FILES: Record<PowWorkerFormat, string> = { v1: '../../../src/pow/pow.worker.js', v2: '../../../src/pow/pow-v2.worker.js' };

/**
 * Records every worker the library creates (and the format it asked for) and every terminate
 * call; `file` overrides which script starts, and `stand` may return a stand-in for the worker
 * asked for `index`-th (null: the real script). The default factory is restored after the test.
 */
export function spyOnPowWorkers(file?: (format: PowWorkerFormat) => string, stand?: (index: number) => Worker | null) {
  const formats: PowWorkerFormat[] = [];
  const created: Worker[] = [];
  const terminated = new Set<Worker>();
  configurePowWorker({
    factory: (format) => {
      formats.push(format);
      const worker = stand?.(created.length) ?? new Worker(new URL(file?.(format) ?? WORKER_FILES[format], import.meta.url), { type: 'module' });
      const terminate = worker.terminate.bind(worker);
      worker.terminate = () => (terminated.add(worker), terminate());
      created.push(worker);
      return worker;
    },
  });
  onCleanup(() => configurePowWorker({ factory: null }));
  return { formats, created, terminated, live: () => created.length - terminated.size };
}
