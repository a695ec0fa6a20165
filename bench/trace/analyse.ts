// Reads a Chromium trace (CDP Tracing, JSON events) of one page load: the page's renderer main
// thread, its top-level tasks, and what each task spent its time on (self time per kind of work).

/** One Chrome trace event (the fields used here). */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  /** Thread (CPU) time of a complete event, µs. */
  tdur?: number;
  id?: string;
  args?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * One top-level main-thread task. Times in ms; `start` from the page's navigationStart. `cpu` is
 * the thread's CPU time: the rest of `ms` it waited (a synchronous IPC, or not scheduled on a core).
 */
export interface MainTask {
  start: number;
  ms: number;
  cpu: number;
  /** Where the task came from: the scheduler's posting function, or the IPC interface. */
  from: string;
  /** Self time (wall and CPU) per kind of work, largest first. */
  parts: { what: string; ms: number; cpu: number }[];
  /** With CPU samples: JavaScript self time per original source file (source-mapped), largest first. */
  js?: { source: string; ms: number }[];
}

/** The page's renderer main thread, found by the navigation of `pageUrl`. */
export interface PageThread {
  pid: number;
  tid: number;
  /** navigationStart of the page, µs (trace clock). */
  t0: number;
  /** Start of the page's first script (`EvaluateScript` of `firstScript`), µs, or null. */
  firstScript: number | null;
}

export function findPageThread(events: TraceEvent[], pageUrl: string, firstScript: string): PageThread {
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === pageUrl);
  if (!nav) throw new Error(`trace: no navigationStart for ${pageUrl}`);
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === nav.pid && e.args?.name === 'CrRendererMain');
  const tid = main?.tid ?? nav.tid;
  const script = events.find((e) => e.pid === nav.pid && e.tid === tid && e.name === 'EvaluateScript' && String(e.args?.data?.url ?? '').endsWith(firstScript));
  return { pid: nav.pid, tid, t0: nav.ts, firstScript: script?.ts ?? null };
}

const basename = (url: unknown) => String(url ?? '').split('?')[0]!.split('/').pop() ?? '';

/**
 * What an event's own time is (null: its parent's kind). Script names come from the event's URL;
 * a module's evaluation carries none, so it is named after the module compiled last before it.
 */
function kindOf(e: TraceEvent, moduleAt: (ts: number) => string): string | null {
  const data = e.args?.data ?? {};
  const n = e.name;
  const mojo = String(e.args?.chrome_mojo_event_info?.mojo_interface_tag ?? '');
  if (/GC|Scavenge|MarkCompact|Sweep/.test(n)) return 'GC';
  if (n === 'CpuProfiler::StartProfiling') return 'profiler start (trace artefact)';
  if (n === 'v8.compile' || n === 'v8.compileModule') return `compile ${basename(data.url ?? e.args?.fileName)}`;
  if (n === 'V8.CompileCode') return 'lazy compile';
  if (n === 'v8.produceCache' || n === 'v8.produceModuleCache') return 'code cache';
  if (n === 'EvaluateScript') return `evaluate ${basename(data.url)}`;
  if (n === 'v8.evaluateModule') return `evaluate ${moduleAt(e.ts)}`;
  if (n === 'CustomElementRegistry::define') return 'customElements.define';
  if (n === 'CustomElementReactionQueue::invokeReactions') return 'element upgrade (constructor, connectedCallback)';
  if (n === 'FunctionCall') return `call ${basename(data.url)}${data.functionName ? ` ${data.functionName}` : ''}`;
  if (n === 'v8.newInstance') return 'DOM wrappers (v8.newInstance)';
  if (n === 'RunMicrotasks') return 'microtasks';
  if (n === 'HandlePostMessage') return 'worker message';
  if (n === 'TimerFire') return 'timer';
  if (n === 'FireAnimationFrame') return 'animation frame';
  if (n === 'ResourceFetcher::requestResource') return 'resource requests';
  if (n === 'ParseHTML' || n === 'DocumentLoader::HandleData') return 'HTML parse';
  if (n === 'HTMLDocumentParser::MaybeFetchQueuedPreloads') return 'preload scan';
  if (n === 'AgentSchedulingGroup::CreateWebView') return 'page creation (WebView)';
  if (n === 'Frame::Detach') return 'initial about:blank detach';
  if (n === 'LocalWindowProxy::Initialize') return 'V8 context creation';
  if (n === 'Document::FinishedParsing') return 'parsing finished';
  if (n === 'UpdateLayoutTree') return 'style recalc';
  if (n === 'Layout') return 'layout';
  if (/^Font|WebSandboxSupportLinux/.test(n)) return 'font lookup';
  if (['Paint', 'PrePaint', 'Layerize', 'Commit', 'UpdateLayer', 'PaintImage'].includes(n)) return 'paint/composite';
  if (n === 'Receive mojo message' && /NavigationClient/.test(mojo)) return 'navigation commit';
  if (n === 'Receive mojo message' && /DedicatedWorkerHostFactoryClient/.test(mojo)) return 'worker start';
  if (n === 'ThreadControllerImpl::RunTask' && e.args?.src_func === 'DidTerminateWorkerThread') return 'worker end';
  if (n === 'RunTask') return 'other (scheduler, parser, IPC)';
  return null;
}

interface Node {
  e: TraceEvent;
  kids: Node[];
}

/** Nests a thread's complete events by time (each event inside the last one still open). */
function nest(events: TraceEvent[]): Node[] {
  const roots: Node[] = [];
  const open: Node[] = [];
  for (const e of events) {
    const node = { e, kids: [] };
    while (open.length > 0 && open.at(-1)!.e.ts + (open.at(-1)!.e.dur ?? 0) <= e.ts) open.pop();
    (open.at(-1)?.kids ?? roots).push(node);
    open.push(node);
  }
  return roots;
}

/** Maps a sampled script position to its original source file; null when not known. */
export type SourceOf = (url: string, line: number, column: number) => string | null;

interface CallFrame {
  functionName: string;
  url?: string;
  lineNumber?: number;
  columnNumber?: number;
}

/** The CPU profile samples of one thread: when, how long until the next, which frame was on top. */
function samplesOf(events: TraceEvent[], thread: PageThread): { ts: number; ms: number; frame: CallFrame | undefined }[] {
  const profile = events.find((e) => e.name === 'Profile' && e.pid === thread.pid && e.tid === thread.tid);
  if (!profile) return [];
  const frames = new Map<number, CallFrame>();
  const raw: { ts: number; node: number }[] = [];
  let ts: number = profile.args?.data?.startTime ?? profile.ts;
  const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === thread.pid && e.id === profile.id).sort((a, b) => a.ts - b.ts);
  for (const chunk of chunks) {
    const data = chunk.args?.data ?? {};
    for (const node of data.cpuProfile?.nodes ?? []) frames.set(node.id, node.callFrame);
    const deltas: number[] = data.timeDeltas ?? [];
    (data.cpuProfile?.samples ?? []).forEach((node: number, i: number) => raw.push({ ts: (ts += deltas[i] ?? 0), node }));
  }
  return raw.map((s, i) => ({ ts: s.ts, ms: ((raw[i + 1]?.ts ?? s.ts) - s.ts) / 1000, frame: frames.get(s.node) }));
}

/** Top-level tasks of the page's main thread of at least `minMs`, with what is inside each. */
export function mainThreadTasks(events: TraceEvent[], thread: PageThread, minMs: number, sourceOf?: SourceOf): MainTask[] {
  const mine = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid);
  const complete = mine.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const modules = mine.filter((e) => e.name === 'v8.compileModule').map((e) => ({ ts: e.ts, file: basename(e.args?.data?.url ?? e.args?.fileName) }));
  const moduleAt = (ts: number) => modules.filter((m) => m.ts <= ts).at(-1)?.file ?? 'module';
  const samples = sourceOf ? samplesOf(events, thread) : [];
  const tasks: MainTask[] = [];
  for (const root of nest(complete)) {
    if (root.e.name !== 'RunTask' || (root.e.dur ?? 0) < minMs * 1000) continue;
    const parts = new Map<string, { ms: number; cpu: number }>();
    let from = '';
    const walk = (node: Node, inherited: string, depth: number) => {
      const e = node.e;
      if (e.name === 'ThreadControllerImpl::RunTask' && !from) from = String(e.args?.src_func ?? '');
      if (/^Receive mojo (message|reply)$/.test(e.name) && depth <= 4) from = String(e.args?.chrome_mojo_event_info?.mojo_interface_tag ?? from).replace(/^\w+\.mojom\./, '');
      const kind = kindOf(e, moduleAt) ?? inherited;
      const part = parts.get(kind) ?? { ms: 0, cpu: 0 };
      part.ms += ((e.dur ?? 0) - node.kids.reduce((sum, k) => sum + (k.e.dur ?? 0), 0)) / 1000;
      part.cpu += ((e.tdur ?? e.dur ?? 0) - node.kids.reduce((sum, k) => sum + (k.e.tdur ?? k.e.dur ?? 0), 0)) / 1000;
      parts.set(kind, part);
      for (const kid of node.kids) walk(kid, kind, depth + 1);
    };
    walk(root, 'other (scheduler, parser, IPC)', 0);
    const task: MainTask = {
      start: (root.e.ts - thread.t0) / 1000,
      ms: root.e.dur! / 1000,
      cpu: (root.e.tdur ?? root.e.dur!) / 1000,
      from,
      parts: [...parts].map(([what, part]) => ({ what, ...part })).sort((a, b) => b.ms - a.ms),
    };
    if (sourceOf) {
      const js = new Map<string, number>();
      for (const s of samples) {
        if (s.ts < root.e.ts || s.ts >= root.e.ts + root.e.dur!) continue;
        const frame = s.frame;
        if (!frame || ['(idle)', '(root)'].includes(frame.functionName)) continue;
        const source = frame.url ? (sourceOf(frame.url, frame.lineNumber ?? 0, frame.columnNumber ?? 0) ?? basename(frame.url)) : frame.functionName || '(native)';
        js.set(source, (js.get(source) ?? 0) + s.ms);
      }
      task.js = [...js].map(([source, ms]) => ({ source, ms })).sort((a, b) => b.ms - a.ms);
    }
    tasks.push(task);
  }
  return tasks;
}
