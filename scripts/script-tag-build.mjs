// The script-tag build (dist/ink-auth.min.js and its lazy chunks), used by scripts/build.mjs.
//
// One file runs before the element does: the entry holds every module a returning visitor needs,
// with no chunk of its own to wait for (no entry → chunk waterfall). Each lazy module (the network
// acquisition of a session, which the entry preloads while it reads the cache; pairing mode) is
// a file beside it that takes the modules it shares with the page from the entry's
// running instance — so `instanceof InkAuthError` and Lit's registries hold across the two —
// through a registry the entry fills under a per-build `Symbol.for` key. (Importing the entry by
// URL instead would evaluate a second copy when the page loaded it with a query string.)
// esbuild's code splitting would instead move the shared code into a chunk the entry imports.
//
// Three esbuild passes: (1) the eager module graph (metafile only), (2) each lazy chunk with its
// shared imports read from the registry, (3) the entry filling the registry, with the lazy
// chunks' hashed file names.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Modules the library loads with `import()`: each becomes a lazy file beside the entry. The
 * acquisition chunk (challenge, PoW, session request) is also preloaded by the entry, which
 * finds its hashed name in `__INK_AUTH_ACQUISITION_CHUNK__`.
 */
const LAZY_MODULES = ['src/session/acquisition.ts', 'src/session/user-session.ts', 'src/pairing/pairing-mode.ts'];
const PRELOADED = { __INK_AUTH_ACQUISITION_CHUNK__: 'src/session/acquisition.ts' };
const ENTRY = 'src/index.ts';
const ENTRY_FILE = 'ink-auth.min.js';

/**
 * Builds dist/ink-auth.min.js and its lazy chunks.
 * @param {object} options
 * @param {string} options.root - the repository root
 * @param {string} options.outdir - dist/
 * @param {object} options.common - esbuild options shared with the other builds (format, target, tsconfig…)
 */
export async function buildScriptTag({ root, outdir, common }) {
  const shipped = {
    ...common,
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    // Lit's BSD-3 notices go to a .LEGAL.txt beside each file, which a comment in it names.
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': '"production"' },
  };
  const lazyFiles = LAZY_MODULES.map((file) => path.join(root, file));
  // Entry and chunks of one build agree on it; another build (another version) on the page does not.
  const registry = `Symbol.for(${JSON.stringify(`ink-auth/shared/${randomUUID().slice(0, 8)}`)})`;

  // (1) Which files the page runs eagerly: the entry's graph, lazy modules left out.
  const eagerGraph = await build({ ...shipped, legalComments: 'none', sourcemap: false, entryPoints: [ENTRY], write: false, metafile: true, plugins: [lazyImports(lazyFiles, () => 'lazy')] });
  const eager = new Set(Object.keys(eagerGraph.metafile.inputs).map((file) => path.resolve(root, file)));

  // (2) Each lazy chunk, importing what it shares with the page from the entry.
  const bridge = new Map(); // eager file → { id, names: Promise<string[]> } the lazy chunks import from it
  const chunkNames = new Map(); // lazy source file → emitted file name
  const read = new Set(); // registry keys some lazy chunk reads (esbuild drops the unread ones from it)
  for (const file of lazyFiles) {
    const result = await build({
      ...shipped,
      entryPoints: { [`ink-auth-${path.basename(file, '.ts')}`]: file },
      entryNames: '[name]-[hash]',
      outdir,
      metafile: true,
      plugins: [sharedFromEntry(eager, bridge, common, registry)],
    });
    const output = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint && path.resolve(root, o.entryPoint) === file);
    if (!output) throw new Error(`script-tag build: no output for ${file}`);
    chunkNames.set(file, path.basename(output[0]));
    // Keys are property names, never minified: every `_<id>_<n>` in the chunk is one it reads.
    for (const key of readFileSync(path.join(root, output[0]), 'utf8').match(/_[0-9a-z]+_[0-9a-z]+/g) ?? []) read.add(key);
  }

  // (3) The entry: the library, the registry the lazy chunks read (only the exports they read, so
  // the entry keeps no code for the others), the chunks' real names.
  const bridged = (await Promise.all([...bridge.entries()].map(async ([file, { id, names }]) => ({ file, id, names: await names }))))
    .map(({ file, id, names }) => ({ file, shared: names.map((name, index) => ({ name, key: privateName(id, index) })).filter(({ key }) => read.has(key)) }))
    .filter(({ shared }) => shared.length > 0);
  const imports = bridged
    .map(({ file, shared }) => `import { ${shared.map(({ name, key }) => `${name} as ${key}`).join(', ')} } from ${JSON.stringify(file)};`)
    .join('\n');
  const entries = bridged.flatMap(({ shared }) => shared.map(({ key }) => key));
  const contents =
    `export * from ${JSON.stringify(path.join(root, ENTRY))};\n${imports}\n` +
    `globalThis[${registry}] ??= { ${entries.join(', ')} };\n`;
  const preloaded = Object.fromEntries(
    Object.entries(PRELOADED).map(([name, file]) => [name, JSON.stringify(`./${chunkNames.get(path.join(root, file))}`)]),
  );
  await build({
    ...shipped,
    define: { ...shipped.define, ...preloaded },
    stdin: { contents, resolveDir: root, sourcefile: 'ink-auth.min.entry.js', loader: 'js' },
    outfile: path.join(outdir, ENTRY_FILE),
    plugins: [lazyImports(lazyFiles, (file) => `./${chunkNames.get(file)}`)],
  });
}

/**
 * The registry's key for the `index`-th (sorted) export of bridged module `id`: short, because
 * the entry ships every key and each lazy chunk the keys it reads.
 */
function privateName(id, index) {
  return `_${id}_${index.toString(36)}`;
}

/** Marks `import()` of a lazy module as external, at the path `target(file)` names. */
function lazyImports(lazyFiles, target) {
  const lazy = new Set(lazyFiles);
  return {
    name: 'lazy-imports',
    setup(builder) {
      builder.onResolve({ filter: /./ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const file = path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        return lazy.has(file) ? { path: target(file), external: true } : undefined;
      });
    },
  };
}

/**
 * Resolves every import of a lazy chunk; one that lands on a file the entry already bundles
 * becomes a module reading its exports from the entry's registry (recording in `bridge` which).
 * Those exports are classes, functions and constants, so reading them once is the live binding.
 */
function sharedFromEntry(eager, bridge, common, registry) {
  return {
    name: 'shared-from-entry',
    setup(builder) {
      builder.onResolve({ filter: /./ }, async (args) => {
        if (args.namespace !== 'file' || args.kind === 'entry-point' || args.pluginData === 'bridged') return undefined;
        const resolved = await builder.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'bridged' });
        if (resolved.errors.length > 0 || !eager.has(resolved.path)) return undefined;
        return { path: resolved.path, namespace: 'from-entry' };
      });
      builder.onLoad({ filter: /./, namespace: 'from-entry' }, async (args) => {
        let pending = bridge.get(args.path);
        if (!pending) {
          // The id is taken before awaiting, so modules loaded concurrently never share one.
          pending = { id: bridge.size.toString(36), names: exportNames(args.path, common) };
          bridge.set(args.path, pending);
        }
        const entry = { id: pending.id, names: await pending.names };
        const local = (name) => privateName(entry.id, entry.names.indexOf(name));
        const contents =
          `const shared = globalThis[${registry}];\n` +
          `if (!shared) throw new Error('ink-auth: this chunk belongs to another build of ${ENTRY_FILE}');\n` +
          // A pure call per export, so esbuild drops the ones the chunk never reads (and step 3
          // leaves them out of the registry).
          `const take = (key) => shared[key];\n` +
          entry.names.map((name) => `const ${local(name)} = /* @__PURE__ */ take(${JSON.stringify(local(name))});`).join('\n') +
          `\nexport { ${entry.names.map((name) => `${local(name)} as ${name}`).join(', ')} };\n`;
        return { contents, loader: 'js' };
      });
    },
  };
}

/** The names `file` exports, re-exports included, as esbuild sees them. */
async function exportNames(file, common) {
  const result = await build({ ...common, entryPoints: [file], bundle: true, write: false, metafile: true, packages: 'external', logLevel: 'silent' });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  return output ? [...output.exports].sort() : [];
}
