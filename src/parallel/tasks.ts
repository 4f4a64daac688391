// The worker's registry of tasks: a job names one (pool.ts Job.task) and the worker runs it on the job's payload.
// A family adds its task here (its worker half, in src/parallel/<family>.ts): the worker bundle
// (scripts/build.mjs: parallel-worker) then carries it and the modules it provides.
import "../discrete/provision.js";
import "../pairwise/provision.js";
import "../knn/provision.js";
import "../mutual/provision.js";
import "../drift/provision.js";
import "../fit/provision.js";
import "../logits/provision.js";
import { rowsTask } from "./discrete.js";
import { pairCellsTask } from "./pairwise.js";
import { knnTask } from "./knn-worker.js";
import { binsTask } from "./drift-worker.js";
import { fitTask } from "./fit-worker.js";
import { logitsTask } from "./logits-worker.js";

/** A task: the payload in, the result out with the buffers to move back (instead of copying them). */
export type Task<P = never, R = unknown> = (payload: P) => { result: R; transfer?: Transferable[] };

export const tasks: Record<string, Task<never>> = {
  rows: rowsTask,
  pairCells: pairCellsTask,
  knn: knnTask,
  bins: binsTask,
  fit: fitTask,
  logits: logitsTask,
};
