// node scripts/flat-wasm.mjs in.wasm out.wasm out.wat: the flat build of a module (scripts/build-wasm.mjs FLAT).
// in.wasm is asc's output at -O0, in which AssemblyScript has already inlined the @inline functions; this runs
// Binaryen's function passes on it less the ones that sink a local's value into its one use (simplify-locals and
// the passes that run it, code-pushing). Binaryen's -O3 makes every single-use value part of one expression tree
// per result, emitted depth first; V8 13.6 and later (Node 24+) emit the machine code in the WebAssembly's order
// (no instruction scheduling by default), so a loop written to take each step across independent chains before the
// next ran as one chain after another again. Flat, the statements keep the source's order (assembly/logits.ts
// block: KL 18 % faster on Node 24 and 26, 23 % in the relaxed build; Node 20 within noise).
import binaryen from "binaryen";
import { readFileSync, writeFileSync } from "node:fs";

const [input, output, text] = process.argv.slice(2);
const passes = [
  "dce", "remove-unused-names", "remove-unused-brs", "optimize-instructions", "precompute-propagate", "vacuum",
  "merge-blocks", "remove-unused-brs", "remove-unused-names", "local-cse", "coalesce-locals", "reorder-locals",
  "vacuum", "rse", "optimize-instructions", "precompute", "vacuum", "merge-locals", "local-cse", "coalesce-locals",
  "vacuum",
];
const module = binaryen.readBinary(readFileSync(input));
module.setFeatures(binaryen.Features.All);
binaryen.setOptimizeLevel(3);
binaryen.setShrinkLevel(0);
// three rounds: the constants that precompute-propagate finds (the kernels' compile-time flags) let dce and vacuum
// drop the branches not taken, which exposes more
for (let round = 0; round < 3; round++) module.runPasses(passes);
module.runPasses(["remove-unused-module-elements"]);
if (!module.validate()) throw new Error(`flat-wasm: ${input} did not validate after the passes`);
writeFileSync(output, module.emitBinary());
writeFileSync(text, module.emitText());
module.dispose();
