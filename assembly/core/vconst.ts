// Vector constants read from memory. Every vector constant a loop uses lives in a module's static data
// (16 bytes each, memory.data, named K_…) and is loaded where used, instead of being written as a splat,
// which binaryen folds into v128.const. V8 up to 11.x (Node 20) keeps a loop's v128.const values out of the
// loop (in registers, or spilled and reloaded: one load a use); V8 12.x and later (Node 24, 26) rebuild each
// at every use inside the loop, 2–4 instructions (movq of the 64-bit pattern, vmovq, vpunpcklqdq; or vpcmpeqd
// and shifts), which made the f64 kernels 24–31% slower there. A load from a constant address is one
// instruction on every V8, and binaryen cannot fold it back (the memory is imported). Zero and all-ones stay
// splats (one instruction: vpxor, vpcmpeqd).
// This file holds no data: AssemblyScript emits every memory.data of a file a module imports, used or not,
// so modules that need one or two constants (mutual, drift) define theirs and import only vc from here.

/** A vector constant from the static data (a K_ address). */
// @ts-ignore: decorator
@inline export function vc(k: usize): v128 { return v128.load(k); }
