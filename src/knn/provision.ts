// Gives src/core/wasm.ts the k-NN module (build/knn.wasm): its bytes, embedded in the bundle and compiled on
// first use or by `await ready()`; in the workerd build the import stays an import of the module file
// (scripts/build.mjs).
import knn from "../../build/knn.wasm";
import { provide } from "../core/wasm.js";

provide("knn", knn);
