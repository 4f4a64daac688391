// Every module exports heapBase(): src/core/wasm.ts checks that the module's static
// data ends below the region it reserves for it.

/** First byte the module does not use for its own static data. */
export function heapBase(): usize {
  return __heap_base;
}
