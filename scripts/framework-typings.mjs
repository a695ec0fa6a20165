// JSX (React) and Vue template typings of every element in custom-elements.json, generated with
// custom-element-jsx-integration and custom-element-vuejs-integration, so they cannot drift from
// the elements' JSDoc. Run by scripts/build.mjs after the manifest:
//   dist/types/react-elements.d.ts   generated `CustomElements` (props of both tags)
//   dist/types/vue.d.ts              generated, augments Vue's GlobalComponents (export ./vue)
//   dist/types/react.d.ts            types/react.d.ts: the React wrappers + the JSX augmentation
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateJsxTypes } from 'custom-element-jsx-integration';
import { generateVuejsTypes } from 'custom-element-vuejs-integration';

/**
 * The manifest as a template sees it: read-only properties (`status`, `token`, …) cannot be set
 * from markup, so they are left out of the props. The manifest itself keeps them.
 */
function settableOnly(manifest) {
  const copy = structuredClone(manifest);
  for (const mod of copy.modules ?? []) {
    for (const declaration of mod.declarations ?? []) {
      if (declaration.members) declaration.members = declaration.members.filter((m) => !m.readonly);
    }
  }
  return copy;
}

/** Writes the typings into `<root>/dist/types` from `<root>/custom-elements.json`. */
export function generateFrameworkTypings(root) {
  const outdir = path.join(root, 'dist/types');
  const manifest = settableOnly(JSON.parse(readFileSync(path.join(root, 'custom-elements.json'), 'utf8')));
  // Relative to outdir: resolves under every moduleResolution, without the package's own name.
  const common = { outdir, globalTypePath: '../lib/index.js', hideLogs: true };
  generateJsxTypes(manifest, { ...common, fileName: 'react-elements.d.ts' });
  generateVuejsTypes(manifest, { ...common, fileName: 'vue.d.ts' });
  copyFileSync(path.join(root, 'types/react.d.ts'), path.join(outdir, 'react.d.ts'));
}
