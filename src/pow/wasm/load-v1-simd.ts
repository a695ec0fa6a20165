import { V1_SIMD_WASM_HEX } from './v1-simd-module.generated.js';
import type { V1SimdExports } from './v1-simd-search.js';

/**
 * The part of the WebAssembly API used here. Typed by hand: the module also runs under Node's
 * typings (the Node tests), which declare no `WebAssembly` value; and the global may be missing.
 */
interface WasmHost {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

/**
 * Compiles and instantiates the WebAssembly SIMD kernel from the bytes embedded in this file.
 * Resolves with `null`, never rejects, when it cannot run here: no WebAssembly, no SIMD (the
 * module does not validate), or compilation refused by a CSP without `'wasm-unsafe-eval'`.
 * The caller then uses the JS kernel.
 *
 * The compile is synchronous on purpose. The module is under 5 KB, and this runs in a worker, where
 * synchronous compiles are allowed at any size. WebKit (WebKitGTK 2.50) aborts the whole web
 * process when a worker is terminated while an async `WebAssembly.compile`/`instantiate` is still
 * pending (a release assert in JSC's VMTraps::deferTerminationSlow). Pools terminate workers
 * that are still starting whenever another slice, tab or a 404 ends the search first.
 */
export async function loadV1SimdKernel(): Promise<V1SimdExports | null> {
  const wasm = (globalThis as { WebAssembly?: WasmHost }).WebAssembly;
  if (!wasm) return null;
  try {
    const bytes = Uint8Array.from(V1_SIMD_WASM_HEX.match(/../g) ?? [], (h) => parseInt(h, 16));
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    return instance.exports as V1SimdExports;
  } catch {
    return null;
  }
}
