// The import rules of both trees, checked from the source (test/server/layers.test.ts runs it in CI):
//   server/  core ← state ← feature rules ← feature routes ← the composition root, with http/ (the
//            transport, problem+json, middleware) beside the rules and below the routes. Nothing below
//            the routes imports hono or http/; the feature folders import each other without a cycle.
//   src/     the folders import each other without a cycle (a file at the root is its own node).
//
//   npx tsx scripts/import-layers.ts     lists every import that breaks a rule; exit 1 if any
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every `.ts` file under `dir`, as paths relative to `root`. */
function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(root, rel));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Relative specifiers are resolved to `.ts` paths, bare ones kept as written. */
export type ImportGraph = Record<string, string[]>;

/** `{ file: [specifier, …] }` of a tree. */
export function readImports(root: string, dir: string): ImportGraph {
  const graph: ImportGraph = {};
  for (const file of sourceFiles(root, dir)) {
    const text = readFileSync(path.join(root, file), 'utf8');
    graph[file] = [...text.matchAll(IMPORT)].map((m) => {
      const spec = (m[1] ?? m[2]) as string;
      if (!spec.startsWith('.')) return spec;
      return path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
    });
  }
  return graph;
}

/** The server layer of a file: `{ kind, node }`, node being the folder that cycles are counted on. */
type ServerKind = 'core' | 'state' | 'http' | 'rules' | 'routes' | 'root';

export function serverLayer(file: string): { kind: ServerKind; node: string } {
  const parts = file.split('/').slice(1); // drop "server"
  if (parts.length === 1) return { kind: 'root', node: 'root' };
  const folder = parts[0] as string;
  if (folder === 'core' || folder === 'state' || folder === 'http') return { kind: folder, node: folder };
  if (parts[1] === 'routes') return { kind: 'routes', node: `${folder}/routes` };
  return { kind: 'rules', node: folder };
}

/** What each server layer may import. */
const SERVER_ALLOWED: Record<ServerKind, ReadonlySet<ServerKind>> = {
  core: new Set<ServerKind>(['core']),
  state: new Set<ServerKind>(['core', 'state']),
  http: new Set<ServerKind>(['core', 'http']),
  rules: new Set<ServerKind>(['core', 'state', 'rules']),
  routes: new Set<ServerKind>(['core', 'state', 'rules', 'http', 'routes']),
  root: new Set<ServerKind>(['core', 'state', 'rules', 'http', 'routes', 'root']),
};
const KNOWS_HTTP: ReadonlySet<ServerKind> = new Set<ServerKind>(['http', 'routes', 'root']);

/** Cycles among the nodes of a graph, as lists of nodes (Tarjan's strongly connected components). */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The edges between nodes, each with one import that makes it (for the message). */
function nodeEdges(graph: ImportGraph, nodeOf: (file: string) => string, inTree: (file: string) => boolean) {
  const edges = new Map<string, Set<string>>();
  const witness = new Map<string, string>();
  for (const [file, imports] of Object.entries(graph)) {
    const from = nodeOf(file);
    if (!edges.has(from)) edges.set(from, new Set());
    for (const target of imports) {
      if (!inTree(target)) continue;
      const to = nodeOf(target);
      if (to === from) continue;
      edges.get(from)!.add(to);
      if (!witness.has(`${from} ${to}`)) witness.set(`${from} ${to}`, `${file} → ${target}`);
    }
  }
  return { edges, witness };
}

function cycleProblems(graph: ImportGraph, nodeOf: (file: string) => string, inTree: (file: string) => boolean, tree: string): string[] {
  const { edges, witness } = nodeEdges(graph, nodeOf, inTree);
  return cycles(edges).map((component) => {
    const inside = [...witness].filter(([key]) => {
      const [from = '', to = ''] = key.split(' ');
      return component.includes(from) && component.includes(to);
    });
    return `${tree}: ${component.join(' ⇄ ')} import each other (${inside.map(([, w]) => w).join('; ')})`;
  });
}

/** Every broken rule of the server tree. */
export function serverProblems(graph: ImportGraph): string[] {
  const problems: string[] = [];
  for (const [file, imports] of Object.entries(graph)) {
    const layer = serverLayer(file);
    for (const target of imports) {
      if (!target.startsWith('server/')) {
        if (/^(hono|@hono\/)/.test(target) && !KNOWS_HTTP.has(layer.kind)) problems.push(`${file} (${layer.kind}) imports ${target}: only http/, routes and the root know HTTP`);
        continue;
      }
      const to = serverLayer(target);
      if (!SERVER_ALLOWED[layer.kind].has(to.kind)) problems.push(`${file} (${layer.kind}) imports ${target} (${to.kind})`);
    }
  }
  problems.push(...cycleProblems(graph, (f) => serverLayer(f).node, (t) => t.startsWith('server/'), 'server'));
  return problems;
}

/** Every broken rule of the browser tree. */
export function browserProblems(graph: ImportGraph): string[] {
  const nodeOf = (file: string): string => {
    const parts = file.split('/');
    return parts.length === 2 ? file : parts.slice(0, 2).join('/');
  };
  const problems: string[] = [];
  for (const [file, imports] of Object.entries(graph)) {
    for (const target of imports) if (target.startsWith('server/')) problems.push(`${file} imports the server: ${target}`);
  }
  problems.push(...cycleProblems(graph, nodeOf, (t) => t.startsWith('src/'), 'src'));
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const problems = [...serverProblems(readImports(root, 'server')), ...browserProblems(readImports(root, 'src'))];
  for (const problem of problems) console.log(problem);
  console.log(problems.length === 0 ? 'import layers: no import against the rules' : `import layers: ${problems.length} against the rules`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
