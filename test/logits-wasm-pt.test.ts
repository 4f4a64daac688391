import "../src/logits/provision.js";
import { wasmLogitsEngine } from "../src/logits/wasm.js";
import { logitsSuite, logitsEdgeSuite } from "./logits.test.js";
logitsSuite("wasm", wasmLogitsEngine);
logitsEdgeSuite("wasm", wasmLogitsEngine);
