import { V1_SIMD_WASM_BASE64 } from './v1-simd-module.generated.js';
import type { V1SimdExports } from './v1-simd-search.js';

/**
 * The part of the WebAssembly API used here. Typed by hand: the module also runs under Node's
 * typings (the Node tests), which declare no `WebAssembly` value; and the global may be missing.
 */
interface WasmHost {
  compile(bytes: Uint8Array<ArrayBuffer>): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: object }>;
}

/**
 * Compiles and instantiates the WebAssembly SIMD kernel from the bytes embedded in this file.
 * Resolves with `null`, never rejects, when it cannot run here: no WebAssembly, no SIMD (the
 * module does not validate), or compilation refused by a CSP without `'wasm-unsafe-eval'`.
 * The caller then uses the JS kernel.
 */
export async function loadV1SimdKernel(): Promise<V1SimdExports | null> {
  const wasm = (globalThis as { WebAssembly?: WasmHost }).WebAssembly;
  if (!wasm) return null;
  try {
    const bytes = Uint8Array.from(atob(V1_SIMD_WASM_BASE64), (c) => c.charCodeAt(0));
    const instance = await wasm.instantiate(await wasm.compile(bytes), {});
    return instance.exports as V1SimdExports;
  } catch {
    return null;
  }
}
