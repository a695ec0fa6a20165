// The embedding snippets of the README and docs/ as a new user copies them (issue #16): every
// framework snippet registers the element with a real import, the Lit snippet (docs/element.md)
// compiles under create-vite's `lit-ts` settings (noUnusedLocals …) and registers its element,
// and the CDN and troubleshooting sections (docs/embedding.md) say what the traps were.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildOnce, root } from './build.js';
import { runCommand } from './run-command.js';

interface Snippet {
  section: string;
  lang: string;
  code: string;
}

const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const readme = read('README.md');
/** Where the README's short embedding examples are given in full, with CSP, CDN and troubleshooting. */
const embedding = read('docs/embedding.md');
/** The element's page, with the consumer helpers' snippets. */
const element = read('docs/element.md');

/** Fenced code blocks with the `#`…`###` heading they sit under. */
function snippets(markdown: string): Snippet[] {
  const found: Snippet[] = [];
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^#{1,3} (.*)/.exec(line);
    if (heading) section = heading[1]!;
    const fence = /^```(\w*)/.exec(line);
    if (!fence) continue;
    const end = lines.indexOf('```', i + 1);
    found.push({ section, lang: fence[1]!, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return found;
}

function sectionText(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `no "${heading}" section`);
  const next = markdown.slice(start + heading.length + 2).search(/\n#{1,3} /);
  return markdown.slice(start, next < 0 ? undefined : start + heading.length + 2 + next);
}

/** A value import of ink-auth or one of its element-registering subpaths (not `import type`). */
const REGISTERS = /^import\s+(?!type\b)(?:[^'"]*\bfrom\s+)?['"]ink-auth(?:\/react|\/pairing)?['"]/m;

describe('README and docs/embedding.md embedding snippets', () => {
  for (const [file, markdown] of [['README.md', readme], ['docs/embedding.md', embedding]] as const) {
    it(`every React and Vue snippet of ${file} that uses an element registers it with a real import`, () => {
      const framework = snippets(markdown).filter((s) => ['tsx', 'vue'].includes(s.lang));
      assert.ok(framework.length >= 3, `found ${framework.length} React/Vue snippets`);
      for (const snippet of framework) {
        if (!/<ink-auth-provider|<InkAuthProvider/.test(snippet.code)) continue;
        assert.match(snippet.code, REGISTERS, `a ${snippet.section} snippet does not import the element:\n${snippet.code}`);
      }
    });
  }

  it('troubleshooting says what `idle` forever means; the CDN section asks CORS for every dist/ file', () => {
    const troubleshooting = sectionText(embedding, '## Troubleshooting');
    assert.match(troubleshooting, /`idle` forever/);
    assert.match(troubleshooting, /customElements\.get\('ink-auth-provider'\)/);
    const cdn = sectionText(embedding, '## From a CDN (script on another origin than the page)');
    assert.match(cdn, /every\s+file of `dist\/`/);
    assert.match(cdn, /^Access-Control-Allow-Origin: \*$/m);
    const bundlers = sectionText(embedding, '## npm and bundlers');
    assert.match(bundlers, /Vite 7 and older[^]*optimizeDeps: \{ exclude: \['ink-auth'\] \}[^]*Vite 8 needs nothing/);
  });

  it('points to the demos in the repository, which the package does not ship', () => {
    for (const [markdown, up] of [[readme, ''], [embedding, '../']] as const) {
      for (const demo of ['demo/react/', 'demo/vue/']) {
        assert.ok(markdown.includes(`[\`${demo}\`](${up}${demo})`), `${demo} is not linked`);
      }
      assert.match(markdown, /The repository \(not the npm package\) has a fuller example/);
    }
  });
});

describe('docs/element.md TypeScript snippets under create-vite lit-ts settings', () => {
  let dir: string;
  before(() => {
    buildOnce();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ink-auth-readme-'));
    // lit and the rest resolve from the repository; ink-auth resolves to the built package.
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the Lit and plain-element snippets compile and register their elements', async () => {
    const ts = snippets(element).filter((s) => s.lang === 'ts' && s.section === 'Consumer helpers');
    assert.ok(ts.some((s) => s.code.includes('extends LitElement')), 'no Lit snippet');
    assert.ok(ts.some((s) => s.code.includes('observeAuth(this')), 'no observeAuth snippet');
    const files: string[] = [];
    ts.forEach((snippet, index) => {
      assert.match(snippet.code, /customElements\.define\('[a-z]+-[a-z-]+', \w+\)/, `snippet ${index} does not register its element`);
      const file = `snippet-${index}.ts`;
      writeFileSync(path.join(dir, file), snippet.code);
      files.push(file);
    });
    // create-vite 7's lit-ts tsconfig, plus a path to the built ink-auth types.
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        experimentalDecorators: true,
        useDefineForClassFields: false,
        module: 'ESNext',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: [],
        skipLibCheck: true,
        moduleResolution: 'bundler',
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
        moduleDetection: 'force',
        noEmit: true,
        strict: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        erasableSyntaxOnly: true,
        noFallthroughCasesInSwitch: true,
        noUncheckedSideEffectImports: true,
        paths: { 'ink-auth': [path.join(root, 'dist/lib/index.d.ts')] },
      },
      files,
    };
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    await runCommand(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir, timeoutMs: 120_000 });
  });
});
