// The k-NN family's WebAssembly module: nothing to provision until assembly/knn.ts exists (src/knn/wasm.ts is a
// placeholder over the pure-TS twin).
export {};
