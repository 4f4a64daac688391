// The body of a kl-wasm/parallel worker (dist/parallel-worker.js, .cjs): replies "loaded" (id 0), then runs each
// job's task (tasks.ts) and replies with its result or the error it threw. Web Workers (browsers, Deno, Bun) talk
// through the global postMessage; Node's worker_threads through parentPort.
import { tasks } from "./tasks.js";
import { CRASH_TASK } from "./pool.js";
import { simdBuild, useSimd, type SimdBuild } from "../core/wasm.js";

/** A job: its task, payload, and the build of the modules the pool's thread runs (this worker runs the same). */
interface Message { id: number; task: string; payload: unknown; simd?: SimdBuild }
type Post = (message: unknown, transfer?: Transferable[]) => void;

function handler(post: Post) {
  const fail = (m: Message, e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ id: m.id, error: { name: err.name, message: err.message, stack: err.stack } });
  };
  const run = (m: Message) => {
    try {
      const task = tasks[m.task];
      if (task === undefined) throw new Error(`kl-wasm/parallel: this worker has no task '${m.task}' (a worker bundle of another version?)`);
      const { result, transfer } = task(m.payload as never);
      post({ id: m.id, result }, transfer ?? []);
    } catch (e) {
      fail(m, e);
    }
  };
  return (m: Message) => {
    if (m.task === CRASH_TASK) return crash(m.payload);
    // the pool's thread switched builds (useSimd, KL_WASM_SIMD set there): switch too, then run (one job at a time)
    if (m.simd !== undefined && m.simd !== simdBuild()) useSimd(m.simd).then(() => run(m), (e) => fail(m, e));
    else run(m);
  };
}

/** The tests' hook: an uncaught error, or the worker's end. */
function crash(how: unknown): void {
  if (how === "exit") {
    const g = globalThis as { process?: { exit(code: number): void }; close?: () => void };
    if (g.process?.exit !== undefined && typeof g.close !== "function") g.process.exit(3);
    else g.close?.();
    return;
  }
  setTimeout(() => { throw new Error("kl-wasm/parallel: crash requested by a test"); });
}

const g = globalThis as unknown as { postMessage?: Post; addEventListener?: (t: string, f: (e: { data: Message }) => void) => void };
if (typeof g.postMessage === "function" && typeof g.addEventListener === "function") {
  const post: Post = (m, t) => g.postMessage!(m, t);
  const handle = handler(post);
  g.addEventListener("message", (e) => handle(e.data));
  post({ id: 0 });
} else {
  // Node: worker_threads, from process.getBuiltinModule (Node 20.16 and later) or imported (a specifier built at run
  // time: bundlers that follow the worker bundle for a browser would otherwise try to resolve it)
  interface Port { postMessage(m: unknown, t?: readonly Transferable[]): void; on(e: "message", f: (m: Message) => void): void }
  const node = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process;
  const id = ["node", "worker_threads"].join(":");
  const start = ({ parentPort }: { parentPort: Port }) => {
    const post: Post = (m, t) => parentPort.postMessage(m, t);
    parentPort.on("message", handler(post));
    post({ id: 0 });
  };
  const wt = node?.getBuiltinModule?.(id) as { parentPort: Port } | undefined;
  if (wt !== undefined) start(wt);
  else void import(/* @vite-ignore */ id).then(start);
}
