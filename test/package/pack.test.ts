// `npm pack` after `npm run build`: the tarball holds the builds, the manifest, the package
// metadata and the docs/ pages the README links to, nothing from the repository's sources, tests,
// server or demos, and every entry point package.json names is in it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { buildOnce, root } from './build.js';

interface PackedFile {
  path: string;
  size: number;
}

const ALLOWED_TOP_LEVEL = new Set(['package.json', 'README.md', 'LICENSE', 'custom-elements.json']);
const FORBIDDEN_PREFIXES = ['test/', 'server/', 'demo/', 'bench/', 'scripts/', 'src/', 'types/', 'node_modules/', '.ci/'];

let packed: Map<string, PackedFile>;
let pkg: {
  main: string;
  module: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  sideEffects: string[];
  customElements: string;
};

function bare(file: string): string {
  return file.replace(/^\.\//, '');
}

/** Every file a package.json target string names, following nested conditions. */
function exportTargets(value: string | Record<string, string>): string[] {
  return typeof value === 'string' ? [value] : Object.values(value).flatMap((v) => exportTargets(v));
}

/** Specifiers of static and dynamic imports in an ES module's text. */
function importSpecifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

before(() => {
  buildOnce();
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [report] = JSON.parse(out) as [{ files: PackedFile[] }];
  packed = new Map(report.files.map((file) => [file.path, file]));
  pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as typeof pkg;
});

describe('npm pack contents', () => {
  it('holds the script-tag bundle with its worker, the library with types, the typings and the manifest', () => {
    for (const file of [
      'package.json',
      'README.md',
      'custom-elements.json',
      'dist/ink-auth.min.js',
      'dist/pow.worker.js',
      'dist/pow-v2.worker.js',
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'dist/lib/ink-auth-provider.js',
      'dist/lib/ink-auth-provider.d.ts',
      'dist/lib/pow/worker-factory.js',
      'dist/lib/pow/pow.worker.js',
      'dist/lib/pow/pow-v2.worker.js',
      'dist/types/react.d.ts',
      'dist/types/vue.d.ts',
    ]) {
      assert.ok(packed.has(file), `${file} is missing from the tarball`);
      assert.ok(packed.get(file)!.size > 0, `${file} is empty`);
    }
  });

  it('holds every docs/ page the README links to', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const pages = new Set([...readme.matchAll(/\]\((docs\/[^)#\s]+\.md)(?:#[^)]*)?\)/g)].map((match) => match[1]!));
    assert.ok(pages.size > 0, 'the README links to no docs/ page');
    for (const page of pages) {
      assert.ok(packed.has(page), `${page} is missing from the tarball`);
      assert.ok(packed.get(page)!.size > 0, `${page} is empty`);
    }
  });

  it('holds nothing but dist/, docs/ and the package metadata', () => {
    for (const file of packed.keys()) {
      assert.ok(
        !FORBIDDEN_PREFIXES.some((prefix) => file.startsWith(prefix)),
        `${file} must not be published`,
      );
      assert.ok(file.startsWith('dist/') || /^docs\/[^/]+\.md$/.test(file) || ALLOWED_TOP_LEVEL.has(file), `unexpected file in the tarball: ${file}`);
    }
  });

  it('packs every file that main, module, types, exports, sideEffects and customElements name', () => {
    // sideEffects may also name repository sources (for bundling the demo from src/): only dist/ ships.
    const shippedSideEffects = pkg.sideEffects.filter((file) => bare(file).startsWith('dist/'));
    const named = [pkg.main, pkg.module, pkg.types, pkg.customElements, ...shippedSideEffects];
    for (const value of Object.values(pkg.exports)) named.push(...exportTargets(value));
    for (const file of named) {
      // A glob (the script-tag chunks, whose names carry a content hash) must match packed files.
      const pattern = new RegExp(`^${bare(file).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      assert.ok([...packed.keys()].some((packedFile) => pattern.test(packedFile)), `package.json names ${file}, which is not packed`);
    }
    assert.ok('types' in (pkg.exports['.'] as object), 'exports["."] has no types condition');
  });

  it('declares the element-registering entries as side effects', () => {
    assert.ok(pkg.sideEffects.includes('./dist/lib/index.js'));
    assert.ok(pkg.sideEffects.includes('./dist/ink-auth.min.js'));
    // The entry only re-exports: the element is registered in its shared chunk.
    assert.ok(pkg.sideEffects.includes('./dist/ink-auth-*.js'));
  });
});

describe('build output', () => {
  // The script-tag entry and its chunks: script-tag.test.ts.
  it('the workers are self-contained (no import of any other file)', () => {
    const files = ['dist/pow.worker.js', 'dist/pow-v2.worker.js'];
    for (const file of [...files, 'dist/lib/pow/pow.worker.js', 'dist/lib/pow/pow-v2.worker.js']) {
      const code = readFileSync(path.join(root, file), 'utf8');
      assert.deepEqual(importSpecifiers(code), [], `${file} imports other modules`);
    }
  });

  it('the package\'s workers are minified like the script-tag ones (bundlers copy them as they are)', () => {
    for (const worker of ['pow.worker.js', 'pow-v2.worker.js']) {
      const size = (file: string) => readFileSync(path.join(root, file), 'utf8').replace(/\/\/# sourceMappingURL=.*\s*$/, '').length;
      const packaged = size(`dist/lib/pow/${worker}`);
      const scriptTag = size(`dist/${worker}`);
      assert.ok(packaged <= scriptTag * 1.02, `dist/lib/pow/${worker} is ${packaged} bytes, the minified dist/${worker} ${scriptTag}`);
    }
  });

  it('the bundle finds its workers beside itself, relative to its own URL', () => {
    // The code starting workers sits in a chunk beside the entry (dist/ink-auth-*.js), so './' is dist/.
    const chunks = [...packed.keys()].filter((file) => /^dist\/ink-auth[^/]*\.js$/.test(file));
    const bundle = chunks.map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n');
    const lib = readFileSync(path.join(root, 'dist/lib/pow/worker-factory.js'), 'utf8');
    for (const worker of ['pow.worker.js', 'pow-v2.worker.js']) {
      const beside = new RegExp(`new URL\\(\\s*["']\\./${worker.replace(/\./g, '\\.')}["']\\s*,\\s*import\\.meta\\.url\\s*\\)`);
      assert.match(bundle, beside, `the bundle does not load ${worker} beside itself`);
      assert.match(lib, beside, `the library does not load ${worker} beside itself`);
    }
  });

  it('the library leaves its dependencies external and its relative imports resolve inside dist/lib', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    // react is an (optional) peer: only ink-auth/react imports it, from the app's own copy.
    const dependencies = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)];
    const bareImports = new Set<string>();
    for (const file of packed.keys()) {
      if (!file.startsWith('dist/lib/') || !file.endsWith('.js') || file.endsWith('.worker.js')) continue;
      for (const specifier of importSpecifiers(readFileSync(path.join(root, file), 'utf8'))) {
        if (specifier.startsWith('.')) {
          const target = path.posix.join(path.posix.dirname(file), specifier);
          assert.ok(packed.has(target), `${file} imports ${specifier}, which is not packed`);
        } else {
          bareImports.add(specifier);
        }
      }
    }
    assert.ok(bareImports.has('lit'), 'lit should stay external in the library build');
    for (const specifier of bareImports) {
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      assert.ok(dependencies.includes(name), `${specifier} is imported but ${name} is not a dependency`);
    }
  });
});
