// Reads a Firefox profile (the Gecko profiler's JSON, written at shutdown by MOZ_PROFILER_SHUTDOWN)
// of warm page loads: per load, from its first script's execution, when the entry module's
// download ended, when Firefox compiled and evaluated it, when the provider said `ready`, and how
// much CPU the page's main thread used meanwhile.

/** Environment that makes Firefox profile from startup (markers and CPU use, no stack sampling). */
export function geckoProfilerEnv(file: string): Record<string, string> {
  return {
    MOZ_PROFILER_STARTUP: '1',
    MOZ_PROFILER_STARTUP_FEATURES: 'cpu,nostacksampling',
    MOZ_PROFILER_STARTUP_FILTERS: 'GeckoMain',
    MOZ_PROFILER_STARTUP_INTERVAL: '1',
    MOZ_PROFILER_STARTUP_ENTRIES: '16000000',
    MOZ_PROFILER_SHUTDOWN: file,
  };
}

/** One page load, ms from the start of its first script's execution (null: did not happen). */
export interface GeckoLoad {
  /** Path of the entry module the page loaded (e.g. `/ink-auth.min.js`); null for a page without it. */
  entry: string | null;
  entryFetched: number | null;
  compileStart: number | null;
  compileEnd: number | null;
  /** The profiler's marker for it: ScriptCompileOffThread (a helper thread compiled it while the main thread waited), ScriptCompileMainThread, or a bytecode-cache decode. */
  compileKind: string | null;
  evaluationStart: number | null;
  evaluationEnd: number | null;
  /** The last `ink-auth-change` of the load. */
  ready: number | null;
  /** CPU time of the page's main thread from the first script to `ready` (null without `ready`). */
  mainCpuMs: number | null;
}

interface Thread {
  name: string;
  stringTable: string[];
  markers: { schema: Record<string, number>; data: unknown[][] };
  samples: { schema: Record<string, number>; data: (number | null)[][] };
}
interface Process {
  threads: Thread[];
  processes?: Process[];
}
interface Marker {
  name: string;
  start: number;
  end: number;
  data: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const scriptUrl = (data: Record<string, unknown>) => /src="([^"]+)"/.exec(String(data.name ?? ''))?.[1] ?? null;

/** The loads found in every content process's main thread, in time order. */
export function geckoLoads(profile: Process & { meta: { sampleUnits?: { threadCPUDelta?: string } } }, entryFile: string): GeckoLoad[] {
  const nsPerUnit = profile.meta.sampleUnits?.threadCPUDelta === 'µs' ? 1_000 : 1;
  const loads: GeckoLoad[] = [];
  const visit = (process: Process) => {
    for (const child of process.processes ?? []) visit(child);
    const thread = process.threads.find((t) => t.name === 'GeckoMain');
    if (!thread) return;
    const { name, startTime, endTime, data } = thread.markers.schema as Record<'name' | 'startTime' | 'endTime' | 'data', number>;
    const markers: Marker[] = thread.markers.data.map((m) => ({
      name: thread.stringTable[m[name] as number] ?? '',
      start: Number(m[startTime]),
      end: Number(m[endTime]),
      data: (m[data] ?? {}) as Record<string, unknown>,
    }));
    const navigations = markers.filter((m) => m.name === 'Navigation::Start').map((m) => m.start).sort((a, b) => a - b);
    const { time, threadCPUDelta } = thread.samples.schema as Record<'time' | 'threadCPUDelta', number>;
    navigations.forEach((from, i) => {
      const to = navigations[i + 1] ?? Infinity;
      const mine = markers.filter((m) => m.start >= from && m.start < to).sort((a, b) => a.start - b.start);
      const first = mine.find((m) => m.name === 'ScriptExecution');
      if (!first) return;
      const t0 = first.start;
      const at = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? null : ms - t0);
      const ofEntry = (m: Marker) => (scriptUrl(m.data) ?? '').endsWith(entryFile);
      const fetched = mine.find((m) => m.data.type === 'Network' && String(m.data.URI ?? m.name).includes(entryFile) && m.data.status === 'STATUS_STOP');
      const compile = mine.find((m) => /^Script(Compile|Decode)/.test(m.name) && ofEntry(m));
      const evaluation = mine.find((m) => m.name === 'ModuleEvaluation' && ofEntry(m));
      const changes = mine.filter((m) => m.name === 'DOMEvent' && m.data.eventType === 'ink-auth-change');
      const ready = changes.at(-1)?.start;
      let cpuNs = 0;
      for (const sample of thread.samples.data) {
        const t = Number(sample[time]);
        if (ready !== undefined && t > t0 && t <= ready) cpuNs += Number(sample[threadCPUDelta] ?? 0) * nsPerUnit;
      }
      const entryUrl = (compile ? scriptUrl(compile.data) : null) ?? (fetched ? /https?:\/\/\S+/.exec(fetched.name)?.[0] ?? null : null);
      loads.push({
        entry: entryUrl ? new URL(entryUrl).pathname : null,
        entryFetched: at(fetched?.end),
        compileStart: at(compile?.start),
        compileEnd: at(compile?.end),
        compileKind: compile?.name ?? null,
        evaluationStart: at(evaluation?.start),
        evaluationEnd: at(evaluation?.end),
        ready: at(ready),
        mainCpuMs: ready === undefined ? null : cpuNs / 1e6,
      });
    });
  };
  visit(profile);
  return loads;
}
