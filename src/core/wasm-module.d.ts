// scripts/build.mjs's base64 loader (and vitest.config.ts's plugin) turn an imported .wasm file into its
// bytes as a base64 string; the workerd build keeps the import, which that runtime gives as a compiled module.
declare module "*.wasm" {
  const source: string | WebAssembly.Module;
  export default source;
}
