#!/usr/bin/env node
// `npm test`: every suite, in lanes that run side by side where they do not compete for timing.
//   1. typecheck, then the builds every later suite reads (dist/ and the demos) and their budgets
//   2. two lanes at once: the browsers (the longest suite) | the package checks (on that dist/,
//      which they then do not rebuild under the browsers' feet: INK_DIST_BUILT), the e2e
//      walk-throughs, the server and load suites, one after another
//   3. the security suite alone: its fairness and flood checks measure who gets served under
//      load, so it does not share the machine with the browsers
// Each suite's output is printed whole when it ends (lanes do not interleave lines), with its
// duration; the first failure stops its lane, the run ends with a summary and exit code 1.
import { spawn } from 'node:child_process';

const PLAN = [
  [['typecheck', 'build:demos', 'size:check']],
  [['test:browser'], ['test:package', 'test:e2e', 'test:server', 'test:load']],
  [['test:security']],
];

/** Runs `npm run <script>`, buffering its output; resolves with its exit code and duration. */
function runScript(script) {
  const started = performance.now();
  return new Promise((resolve) => {
    // build:demos ran scripts/build.mjs on this checkout in phase 1: dist/ is the current source's.
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
