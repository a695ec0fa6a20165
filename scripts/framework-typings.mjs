// JSX (React) and Vue template typings of every element in custom-elements.json, generated with
// custom-element-jsx-integration and custom-element-vuejs-integration, so they cannot drift from
// the elements' JSDoc. Run by scripts/build.mjs after the manifest:
//   dist/types/react-elements.d.ts   generated `CustomElements` (props of both tags)
//   dist/types/vue.d.ts              generated, augments Vue's GlobalComponents (export ./vue)
//   dist/types/react.d.ts            types/react.d.ts: the React wrappers + the JSX augmentation
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
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

/**
 * The Vue generator keys props as written in HTML (`"app-id"`, `"onink-auth-change"`), but Vue
 * (and vue-tsc) normalise template names to camelCase: `:app-id` is the prop `appId` and
 * `@ink-auth-change` is `onInkAuthChange` (which Vue's runtime turns back into the event
 * `ink-auth-change`). Unnormalised keys leave events untyped and fail under `strictTemplates`.
 */
function camelCaseVueProps(file) {
  const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
  const text = readFileSync(file, 'utf8').replace(/^(\s*)"([a-z][a-z0-9-]*)"\?:/gm, (_, indent, name) => {
    const key = name.startsWith('on') ? `on${camel(`-${name.slice(2)}`)}` : camel(name);
    return `${indent}${key}?:`;
  });
  writeFileSync(file, text);
}

/** Writes the typings into `<root>/dist/types` from `<root>/custom-elements.json`. */
export function generateFrameworkTypings(root) {
  const outdir = path.join(root, 'dist/types');
  const manifest = settableOnly(JSON.parse(readFileSync(path.join(root, 'custom-elements.json'), 'utf8')));
  // Relative to outdir: resolves under every moduleResolution, without the package's own name.
  const common = { outdir, globalTypePath: '../lib/index.js', hideLogs: true };
  generateJsxTypes(manifest, { ...common, fileName: 'react-elements.d.ts' });
  generateVuejsTypes(manifest, { ...common, fileName: 'vue.d.ts' });
  camelCaseVueProps(path.join(outdir, 'vue.d.ts'));
  copyFileSync(path.join(root, 'types/react.d.ts'), path.join(outdir, 'react.d.ts'));
}
