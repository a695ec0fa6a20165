// Custom Elements Manifest (custom-elements.json) from the JSDoc of the library's elements.
// Run by `npm run analyze` and `npm run build`; package.json's `customElements` points at the output.

/**
 * The analyzer records `customElements.define(TAG, …)` with the identifier's name as the tag.
 * Resolve such identifiers to the string constant they name in the defining module.
 */
function resolveTagConstants() {
  const constants = new Map(); // module path → Map(identifier → string value)
  return {
    name: 'ink-resolve-tag-constants',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || !node.initializer) return;
      if (!ts.isStringLiteral(node.initializer) || !(node.parent.flags & ts.NodeFlags.Const)) return;
      if (!constants.has(moduleDoc.path)) constants.set(moduleDoc.path, new Map());
      constants.get(moduleDoc.path).set(node.name.text, node.initializer.text);
    },
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules ?? [];
      for (const mod of modules) {
        const local = constants.get(mod.path);
        for (const exp of mod.exports ?? []) {
          if (exp.kind !== 'custom-element-definition' || !local?.has(exp.name)) continue;
          const tag = local.get(exp.name);
          const target = modules.find((m) => sameModule(m.path, exp.declaration.module));
          const declaration = target?.declarations?.find((d) => d.name === exp.declaration.name);
          if (declaration?.tagName === exp.name) declaration.tagName = tag;
          exp.name = tag;
        }
      }
    },
  };
}

/** Module paths appear as `src/x.ts` and as `/src/x.js`. */
function sameModule(a, b) {
  const bare = (p) => p.replace(/^\.?\//, '').replace(/\.[jt]s$/, '');
  return bare(a) === bare(b);
}

/** Private (`#x`, `private` and Lit state) members are implementation detail: keep them out of the manifest. */
function dropPrivateMembers() {
  return {
    name: 'ink-drop-private-members',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules ?? []) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.members) declaration.members = declaration.members.filter((m) => m.privacy !== 'private');
          // Lit's `state: true` properties (`_value`) are read as attributes from `static properties`.
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => !a.name.startsWith('_'));
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.d.ts', 'src/**/*.worker.ts', 'src/pow/kernel/**'],
  outdir: '.',
  litelement: true,
  dev: false,
  plugins: [resolveTagConstants(), dropPrivateMembers()],
};
