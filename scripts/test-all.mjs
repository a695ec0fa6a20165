#!/usr/bin/env node
// `npm test`: every suite, in the phases below. A phase's lanes run side by side, the suites of a
// lane one after another; each suite's output is printed whole when it ends, with its duration.
// The first failure stops the run, which ends with a summary and exit code 1.
//
// The browser suite (three engines side by side, mostly waiting) runs beside the Node suites on
// the machine's two cores. It needs the built demos and dist/ first, hence the first phase. The
// lanes are balanced by the durations of a run here: 392 s of browsers (+ 91 s of package tests)
// beside 242 + 168 + 19 + 44 s; that run took 596 s in all, against 840 s in series.
import { spawn } from 'node:child_process';

const PLAN = [
  [['typecheck', 'build:demos', 'size:check']],
  [['test:browser', 'test:package'], ['test:server', 'test:security', 'test:load', 'test:e2e']],
];

/** Runs `npm run <script>`, buffering its output; resolves with its exit code and duration. */
function runScript(script) {
  const started = performance.now();
  return new Promise((resolve) => {
    // build:demos runs scripts/build.mjs on this checkout before the package tests: dist/ is the
    // current source's, and the package tests need not rebuild it.
    const env = { ...process.env, INK_DIST_BUILT: '1' };
    const child = spawn('npm', ['run', script], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('close', (code, signal) => {
      const seconds = Math.round((performance.now() - started) / 1000);
      process.stdout.write(`\n===== ${script} (${seconds} s, ${signal ?? `exit ${code}`}) =====\n`);
      process.stdout.write(Buffer.concat(chunks));
      resolve({ script, ok: code === 0, seconds });
    });
  });
}

async function runLane(scripts) {
  const results = [];
  for (const script of scripts) {
    const result = await runScript(script);
    results.push(result);
    if (!result.ok) break;
  }
  return results;
}

const started = performance.now();
const results = [];
for (const phase of PLAN) {
  const lanes = await Promise.all(phase.map(runLane));
  results.push(...lanes.flat());
  if (results.some((r) => !r.ok)) break;
}
const total = Math.round((performance.now() - started) / 1000);
console.log(`\n===== npm test: ${total} s =====`);
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.script.padEnd(14)} ${String(r.seconds).padStart(4)} s`);
if (results.some((r) => !r.ok)) process.exitCode = 1;
