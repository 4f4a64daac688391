// npm run demo: the library's main job. For now, section 1 of the seed chapter
// (../shared/seed), printed value for value in the chapter's own format.
import { entropy, klDivergence, crossEntropy } from "../dist/index.js";

const pTrue = [0.5, 0.3, 0.2];
const qPred = [0.3, 0.4, 0.3];

const hP = entropy(pTrue);
const kl = klDivergence(pTrue, qPred);
const ce = hP + kl;                                  // the chapter's cross_entropy_discrete: H + KL
const ceDirect = crossEntropy(pTrue, qPred, { eps: 0 }); // -sum p log q, computed directly
// numpy.isclose(a, b): |a - b| <= 1e-8 + 1e-5 |b|
const isclose = (a, b) => Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);

console.log(`H(P): ${hP.toFixed(6)}`);
console.log(`KL(P||Q): ${kl.toFixed(6)}`);
console.log(`H(P,Q): ${ce.toFixed(6)}`);
console.log(`Direct CE: ${ceDirect.toFixed(6)}`);
console.log(`H(P)+KL=CE: ${isclose(hP + kl, ce) ? "True" : "False"}`);
console.log();
console.log(`D_KL(P||Q) = ${kl.toFixed(4)}`);
console.log(`D_KL(Q||P) = ${klDivergence(qPred, pTrue).toFixed(4)} (asymmetric!)`);
