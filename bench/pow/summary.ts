import type { BrowserReport, SolverKind } from './protocol.js';

/** Hashes per second for one browser, and the ratios issues 7 and 14 ask for (all measured in one run). */
export interface BrowserFigures {
  userAgent: string;
  hardwareConcurrency: number;
  hashesPerSecond: {
    wasm1Worker: number;
    wasm2Workers: number;
    kernel1Worker: number;
    kernel2Workers: number;
    altchaLib: number;
    subtleDigest: number;
  };
  ratios: {
    /** per worker: the WebAssembly SIMD kernel over the JS kernel (issue 14: ≥ 3.5) */
    wasmOverJs: number;
    wasmOverAltchaLib: number;
    oursOverAltchaLib: number;
    oursOverSubtle: number;
    oursOverNative: number;
    oursOverNativeCompressions: number;
    /** the SIMD pool (2 workers) over Node's createHash on one core (issue 14: ≥ 25) */
    wasmPoolOverNative: number;
    wasmPoolOverNativeCompressions: number;
    wasmWorkerOverNativeCompressions: number;
    twoWorkersOverOne: number;
    wasmTwoWorkersOverOne: number;
  };
  targets: { tenTimesAltchaLib: boolean; poolScales1_8: boolean; wasmThreeAndHalfTimesJs: boolean; wasmPoolAtNativeCeiling: boolean };
  runs: Record<string, number[]>;
}

/** The `pow` entry of bench/results.json. */
export interface PowSummary {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; saltBytes: number; loadAverageAtStart: number };
  /** Node's crypto, one createHash per input (the same inputs the browsers hash) */
  nativeNodeSha256HashesPerSecond: number;
  /** OpenSSL bulk SHA-256 ÷ 64 bytes: compressions per second, the single-core ceiling */
  nativeCompressionsPerSecond: number;
  browsers: Record<string, BrowserFigures | { error: string }>;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function figures(report: BrowserReport, native: number, compressions: number): BrowserFigures {
  const rate = (kind: SolverKind, workers: number): number => {
    const m = report.measurements.find((x) => x.kind === kind && x.workers === workers);
    if (!m) throw new Error(`bench page returned no ${kind} × ${workers} measurement`);
    return m.hashesPerSecond;
  };
  const w1 = rate('wasm-simd', 1);
  const w2 = rate('wasm-simd', 2);
  const k1 = rate('kernel', 1);
  const k2 = rate('kernel', 2);
  const altcha = rate('altcha-lib', 1);
  const subtle = rate('subtle', 1);
  const ratios = {
    wasmOverJs: round2(w1 / k1),
    wasmOverAltchaLib: round2(w1 / altcha),
    oursOverAltchaLib: round2(k1 / altcha),
    oursOverSubtle: round2(k1 / subtle),
    oursOverNative: round2(k1 / native),
    oursOverNativeCompressions: round2(k1 / compressions),
    wasmPoolOverNative: round2(w2 / native),
    wasmPoolOverNativeCompressions: round2(w2 / compressions),
    wasmWorkerOverNativeCompressions: round2(w1 / compressions),
    twoWorkersOverOne: round2(k2 / k1),
    wasmTwoWorkersOverOne: round2(w2 / w1),
  };
  return {
    userAgent: report.userAgent,
    hardwareConcurrency: report.hardwareConcurrency,
    hashesPerSecond: { wasm1Worker: w1, wasm2Workers: w2, kernel1Worker: k1, kernel2Workers: k2, altchaLib: altcha, subtleDigest: subtle },
    ratios,
    targets: {
      tenTimesAltchaLib: ratios.oursOverAltchaLib >= 10,
      poolScales1_8: ratios.twoWorkersOverOne >= 1.8,
      wasmThreeAndHalfTimesJs: ratios.wasmOverJs >= 3.5,
      // Issue 22: the physical yardstick, OpenSSL's bulk compression rate of one core measured in
      // the same run. (A per-call createHash rate is allocation noise, reported for context only.)
      wasmPoolAtNativeCeiling: ratios.wasmPoolOverNativeCompressions >= 1,
    },
    runs: Object.fromEntries(report.measurements.map((m) => [`${m.kind}×${m.workers}`, m.runs])),
  };
}

/** Folds the browser reports and the native rate into the results entry. */
export function summarise(
  reports: Partial<Record<string, BrowserReport | { error: string }>>,
  native: { perCall: number; compressions: number },
  machine: PowSummary['machine'],
): PowSummary {
  const browsers: PowSummary['browsers'] = {};
  for (const [name, report] of Object.entries(reports)) {
    if (report === undefined) continue;
    browsers[name] = 'error' in report ? report : figures(report, native.perCall, native.compressions);
  }
  return { date: new Date().toISOString(), machine, nativeNodeSha256HashesPerSecond: native.perCall,
    nativeCompressionsPerSecond: native.compressions,
    browsers,
  };
}

const mhs = (x: number): string => `${(x / 1e6).toFixed(2)} M/s`;

/** A plain-text table of the summary for the terminal and docs/performance.md. */
export function formatTable(s: PowSummary): string {
  const lines = [
    `PoW solver throughput (SHA-256 of ${s.machine.saltBytes}-byte salt + decimal number), ${s.machine.cpus} × ${s.machine.cpuModel}`,
    ...(s.machine.loadAverageAtStart > s.machine.cpus / 2
      ? [`WARNING: load average ${s.machine.loadAverageAtStart} at start — other processes share the cores; figures (above all the 2-worker scaling) are noisy`]
      : []),
    `Native SHA-256 ceiling, 1 core (OpenSSL bulk compressions, this run): ${mhs(s.nativeCompressionsPerSecond)}; ` +
      `Node createHash per input (context only: allocation-bound): ${mhs(s.nativeNodeSha256HashesPerSecond)}`,
  ];
  for (const [name, b] of Object.entries(s.browsers)) {
    if ('error' in b) {
      lines.push(`\n${name}: not measured — ${b.error}`);
      continue;
    }
    const h = b.hashesPerSecond;
    const r = b.ratios;
    const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
    lines.push(
      `\n${name} (${b.userAgent})`,
      `  WebAssembly SIMD, 1 worker ${mhs(h.wasm1Worker).padStart(12)}   ×${r.wasmWorkerOverNativeCompressions} of the native ceiling of one core; ×${r.wasmOverJs} of the JS kernel (target ≥ 3.5: ${met(b.targets.wasmThreeAndHalfTimesJs)}), altcha-lib ×${r.wasmOverAltchaLib}`,
      `  WebAssembly SIMD, 2 workers${mhs(h.wasm2Workers).padStart(12)}   ×${r.wasmPoolOverNativeCompressions} of the native ceiling of one core (target ≥ 1.0: ${met(b.targets.wasmPoolAtNativeCeiling)}); ×${r.wasmTwoWorkersOverOne} of 1 worker; ×${r.wasmPoolOverNative} of createHash per input (context, no goal)`,
      `  JS kernel, 1 worker        ${mhs(h.kernel1Worker).padStart(12)}`,
      `  JS kernel, 2 workers       ${mhs(h.kernel2Workers).padStart(12)}   ×${r.twoWorkersOverOne} of 1 worker (target ≥ 1.8: ${met(b.targets.poolScales1_8)})`,
      `  altcha-lib v1, 1 worker    ${mhs(h.altchaLib).padStart(12)}   JS kernel ×${r.oursOverAltchaLib} (target ≥ 10: ${met(b.targets.tenTimesAltchaLib)})`,
      `  crypto.subtle loop         ${mhs(h.subtleDigest).padStart(12)}   JS kernel ×${r.oursOverSubtle}`,
      `  JS kernel / Node per input ×${r.oursOverNative}; / native ceiling ×${r.oursOverNativeCompressions}`,
    );
  }
  return lines.join('\n');
}
