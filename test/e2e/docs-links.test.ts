// The README and the docs/ pages it links to: the README stays short, every relative link reaches
// a file that exists, every `#anchor` names a heading of its target page (GitHub's slugs), and
// every docs page is reachable from the README.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README_MAX_LINES = 300;

/** Absolute paths of README.md and every docs/*.md. */
function markdownFiles(root: string): string[] {
  const docs = path.join(root, 'docs');
  const pages = existsSync(docs) ? readdirSync(docs).filter((name) => name.endsWith('.md')).sort() : [];
  return [path.join(root, 'README.md'), ...pages.map((name) => path.join(docs, name))];
}

/** The text outside fenced code blocks, line by line (fence lines and their contents become ''). */
function proseLines(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== null) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      return '';
    }
    if (marker) {
      fence = marker;
      return '';
    }
    return line;
  });
}

/**
 * GitHub's heading anchor (github-slugger on the rendered text): code spans give their text, links
 * and images their text, HTML tags nothing; then lowercased, every character that is not a letter,
 * mark, number, connector (`_`), space or `-` dropped, and each space turned into `-`.
 */
export function githubSlug(heading: string): string {
  const text = heading
    .split(/(`+[^`]*?`+)/)
    .map((part, index) =>
      index % 2 === 1
        ? part.replace(/^`+|`+$/g, '')
        : part.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<\/?[a-z][^>]*>/gi, ''),
    )
    .join('')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The anchors of a page's headings, repeated ones suffixed `-1`, `-2` … as GitHub does. */
export function headingAnchors(markdown: string): Set<string> {
  const occurrences = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = githubSlug(heading);
    let slug = base;
    while (occurrences.has(slug)) {
      const n = (occurrences.get(base) ?? 0) + 1;
      occurrences.set(base, n);
      slug = `${base}-${n}`;
    }
    occurrences.set(slug, 0);
  }
  return new Set(occurrences.keys());
}

interface Link {
  line: number;
  target: string;
}

/** Inline link targets `[text](target)` outside code blocks and code spans. */
export function links(markdown: string): Link[] {
  const found: Link[] = [];
  proseLines(markdown).forEach((raw, index) => {
    const line = raw.replace(/(`+)[^`]*?\1/g, '');
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      found.push({ line: index + 1, target: match[1]! });
    }
  });
  return found;
}

/** Every broken link of the README and the docs pages, as `file:line target: why`. */
export function brokenLinks(root: string): string[] {
  const problems: string[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string): Set<string> => {
    let set = anchorsOf.get(file);
    if (!set) anchorsOf.set(file, (set = headingAnchors(readFileSync(file, 'utf8'))));
    return set;
  };
  for (const file of markdownFiles(root)) {
    for (const { line, target } of links(readFileSync(file, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
      const where = `${path.relative(root, file)}:${line} ${target}`;
      const hash = target.indexOf('#');
      const filePart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
      const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
      const resolved = filePart === '' ? file : path.resolve(path.dirname(file), filePart);
      if (filePart.startsWith('/')) {
        problems.push(`${where}: absolute paths do not resolve on GitHub or npm`);
        continue;
      }
      if (!existsSync(resolved)) {
        problems.push(`${where}: ${path.relative(root, resolved)} does not exist`);
        continue;
      }
      if (anchor === null) continue;
      if (!resolved.endsWith('.md')) {
        problems.push(`${where}: an anchor into a file that is not markdown`);
        continue;
      }
      if (!anchors(resolved).has(anchor.toLowerCase())) {
        problems.push(`${where}: ${path.relative(root, resolved)} has no heading #${anchor}`);
      }
    }
  }
  return problems;
}

describe('README and docs/ links', () => {
  it(`README.md is at most ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\n$/, '').split('\n').length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines`);
  });

  it('every relative link reaches a file, and every #anchor a heading of its page', () => {
    assert.deepEqual(brokenLinks(ROOT), []);
  });

  it('every docs page is linked from the README and starts with a title and a link back', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const linked = new Set(links(readme).map(({ target }) => target.split('#')[0]));
    const pages = markdownFiles(ROOT).slice(1);
    assert.ok(pages.length > 0, 'docs/ has no pages');
    for (const page of pages) {
      const relative = path.relative(ROOT, page).split(path.sep).join('/');
      assert.ok(linked.has(relative), `README.md does not link to ${relative}`);
      const [title, , back] = readFileSync(page, 'utf8').split('\n');
      assert.match(title!, /^# \S/, `${relative} does not start with a # title`);
      assert.equal(back, '← [README](../README.md)', `${relative} has no link back to the README`);
    }
  });
});

describe('the link checker itself', () => {
  it("makes GitHub's anchors, repeated headings included", () => {
    const anchors = headingAnchors(
      [
        '# The element: `<ink-auth-provider>`',
        '## Server (`/v1/auth`)',
        "### The hosted platform's own widget (`@inkeep/agents-ui`)",
        '## Security: tenant isolation and limits',
        '## `POST /run/v1/chat/completions`',
        '## Bounds',
        '```md',
        '## Bounds',
        '```',
        '## Bounds',
        '## Bounds',
      ].join('\n'),
    );
    assert.deepEqual([...anchors], [
      'the-element-ink-auth-provider',
      'server-v1auth',
      'the-hosted-platforms-own-widget-inkeepagents-ui',
      'security-tenant-isolation-and-limits',
      'post-runv1chatcompletions',
      'bounds',
      'bounds-1',
      'bounds-2',
    ]);
  });

  it('ignores links inside code, reads the rest', () => {
    const found = links(['[a](a.md) `[b](b.md)`', '```', '[c](c.md)', '```', '[d](d.md#x) and [e](#y)'].join('\n'));
    assert.deepEqual(found.map((link) => link.target), ['a.md', 'd.md#x', '#y']);
  });
});
