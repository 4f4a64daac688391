// The worker pool of kl-wasm/parallel: workers started on first use (or by ready()), jobs dispatched to idle
// workers in order, each job's transferables moved, not copied; a worker that throws or dies rejects its job and
// is replaced; close() rejects what is pending and terminates the workers. It knows nothing of the measures:
// a job names a task of the worker's registry (tasks.ts) and carries its payload, and the build of the modules
// this thread ran when the job's call was made (callBuild() then: `during`), which the worker switches to first: the
// same kernels, so the same bits, and one build for all the parts of a call even if useSimd switches meanwhile.
import { callBuild, type SimdBuild } from "../core/wasm.js";

/** One worker as the pool drives it, whatever the runtime (Node worker_threads, Web Workers). */
export interface WorkerPort {
  post(message: unknown, transfer: Transferable[]): void;
  /** message: a reply; fail: the worker threw an uncaught error or exited (it is then discarded). */
  listen(message: (data: unknown) => void, fail: (error: Error) => void): void;
  terminate(): void;
  /** Node: whether an idle worker keeps the process alive (it should not). */
  hold?(busy: boolean): void;
}

/** Starts one worker (src/parallel.ts: the runtime's kind, the worker bundle beside the entry). */
export type Spawn = () => WorkerPort;

/** A job: the task's name in the worker's registry, its payload, what to transfer with it, and the build its call
 *  runs (default: the one `during` set, else callBuild() when the job is queued). */
export interface Job { task: string; payload: unknown; transfer?: Transferable[]; simd?: SimdBuild }

/** The build of the call whose jobs are being queued (set by `during`). */
let stamp: SimdBuild | undefined;

/** Runs `f` (a synchronous step of one call: replay.ts) with every job it queues stamped with `simd`, the build read
 *  at the call's start. */
export function during<T>(simd: SimdBuild, f: () => T): T {
  const prev = stamp;
  stamp = simd;
  try {
    return f();
  } finally {
    stamp = prev;
  }
}

/** The build `during` set: the call's whose synchronous step runs now (undefined outside one). */
export const stamped = (): SimdBuild | undefined => stamp;

/** A worker's reply: the task's result, or the error it threw (name, message, stack). */
interface Reply { id: number; result?: unknown; error?: { name: string; message: string; stack?: string } }

interface Pending { id: number; job: Job; resolve: (v: unknown) => void; reject: (e: unknown) => void }

/** A worker: its port, the job it runs, and whether it has loaded (jobs are posted only then: Bun drops messages
 *  posted to a module worker before its listener is installed). */
interface Slot { port: WorkerPort; busy?: Pending; loaded: boolean; started: Promise<void> }

/** Hidden test hook: the task a worker runs to crash (worker.ts): "throw" an uncaught error, or "exit". */
export const CRASH_TASK = "__crash";

/** The error of every call pending when close() was called, and of every call after. */
export const closedError = () => new Error("kl-wasm/parallel: the pool is closed (close() was called)");

export class Pool {
  readonly threads: number;
  #spawn: Spawn;
  #slots: Slot[] = [];
  #queue: Pending[] = [];
  #ids = 0;
  #closed = false;
  #spare: SharedArrayBuffer | undefined;

  constructor(threads: number, spawn: Spawn) {
    this.threads = threads;
    this.#spawn = spawn;
  }

  /** Workers alive (started, not crashed). */
  get size(): number {
    return this.#slots.length;
  }

  /** Starts every worker; resolves when each has loaded (its first reply); rejects with the runtime's error if one
   *  could not load (the calls after it start new workers, and reject with the same if they cannot load either). */
  async ready(): Promise<void> {
    if (this.#closed) throw closedError();
    while (this.#slots.length < this.threads) this.#start();
    await Promise.all(this.#slots.map((s) => s.started));
  }

  /** Runs the jobs (one per worker at a time, in order) and resolves with their results in the same order;
   *  rejects with the first error. */
  run<T>(jobs: Job[]): Promise<T[]> {
    return Promise.all(jobs.map((job) => this.one<T>(job)));
  }

  /** Runs one job. */
  one<T>(job: Job): Promise<T> {
    if (this.#closed) return Promise.reject(closedError());
    job.simd ??= stamp ?? callBuild(); // the call's build (a job object is its call's own)
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ id: ++this.#ids, job, resolve: resolve as (v: unknown) => void, reject });
      this.#pump();
    });
  }

  /** Settles a job that its worker has begun and whose result the caller already has by other means (shared memory:
   *  discrete.ts): resolves it with undefined and frees the worker for the next job at once; the worker's own reply,
   *  which follows, is ignored. A job not running is left alone. */
  release(job: Job): void {
    const slot = this.#slots.find((s) => s.busy?.job === job);
    if (slot === undefined) return;
    const p = slot.busy!;
    slot.busy = undefined;
    slot.port.hold?.(false);
    p.resolve(undefined);
    this.#pump();
  }

  /**
   * Shared memory of at least `bytes` for a call's copy of an input that is not on shared memory, so that the
   * workers read the copy in place: the spare one left by an earlier call if it is large enough, else a new one.
   * Give it back with unstage() when the workers are done. Reusing it matters: fresh memory costs its page faults
   * at every call (80 MB in two slices took 235 ms on a 2-core VM, a copy into memory used before 4-5 ms).
   */
  stage(bytes: number): SharedArrayBuffer {
    const s = this.#spare;
    if (s !== undefined && s.byteLength >= bytes) {
      this.#spare = undefined;
      return s;
    }
    return new SharedArrayBuffer(bytes);
  }

  /** x (any numeric typed array; typed here as its float kinds) copied into stage()'s memory, as a view of its own type
   *  (give its buffer back with unstage()), or undefined where x is
   *  on shared memory already or the runtime has no SharedArrayBuffer (the workers then take x as it is). */
  stageCopy<T extends Float64Array | Float32Array>(x: T): T | undefined {
    if (shared(x) || typeof SharedArrayBuffer !== "function") return undefined;
    const c = new (x.constructor as { new (b: SharedArrayBuffer, at: number, n: number): T })(this.stage(x.byteLength), 0, x.length);
    c.set(x);
    return c;
  }

  /** Takes back stage()'s memory: kept as the spare if larger than the one kept (at most one; dropped by close()). */
  unstage(s: SharedArrayBuffer): void {
    if (!this.#closed && (this.#spare === undefined || this.#spare.byteLength < s.byteLength)) this.#spare = s;
  }

  /** Terminates the workers; pending and later calls reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#spare = undefined;
    const err = closedError();
    for (const p of this.#queue) p.reject(err);
    this.#queue = [];
    for (const s of this.#slots) {
      s.busy?.reject(err);
      s.port.terminate();
    }
    this.#slots = [];
  }

  #start(): Slot {
    const port = this.#spawn();
    let loaded!: () => void, failed!: (e: Error) => void;
    const slot: Slot = { port, loaded: false, started: new Promise<void>((r, f) => { loaded = r; failed = f; }) };
    slot.started.catch(() => {}); // a rejection is ready()'s, if it is waiting
    port.listen((data) => {
      const reply = data as Reply;
      if (reply.id === 0) { // the worker's "loaded"
        // loaded (held while loading: a call or ready() awaits it); from now on held only while it has a job, so a
        // worker without one (ready() only, or one started for a job another took) does not keep the process alive
        slot.loaded = true;
        port.hold?.(false);
        loaded();
        this.#pump();
        return;
      }
      const p = slot.busy;
      if (p === undefined || p.id !== reply.id) return;
      slot.busy = undefined;
      port.hold?.(false);
      if (reply.error !== undefined) p.reject(revive(reply.error));
      else p.resolve(reply.result);
      this.#pump();
    }, (error) => {
      // the worker is gone: its job fails with the error, a new worker takes its place on demand
      if (slot.loaded) loaded();
      else failed(error);
      const i = this.#slots.indexOf(slot);
      if (i >= 0) this.#slots.splice(i, 1);
      try { port.terminate(); } catch { /* already gone */ }
      // its job fails with the error; one that never loaded fails the next job waiting (else it would be retried
      // forever: a worker that cannot load, e.g. Deno without read access to its file)
      const p = slot.loaded ? slot.busy : this.#queue.shift();
      slot.busy = undefined;
      p?.reject(error);
      this.#pump();
    });
    this.#slots.push(slot);
    return slot;
  }

  #pump(): void {
    // start workers for the jobs waiting (up to threads), then give jobs to the loaded, idle ones
    while (!this.#closed && this.#slots.length < Math.min(this.threads, this.#queue.length + this.#slots.filter((s) => s.busy !== undefined).length)) {
      try {
        this.#start();
      } catch (e) {
        // the runtime refused to start a worker (a bad URL, a content security policy): the job fails with it
        this.#queue.shift()!.reject(e);
      }
    }
    while (this.#queue.length > 0 && !this.#closed) {
      const slot = this.#slots.find((s) => s.loaded && s.busy === undefined);
      if (slot === undefined) return;
      const p = this.#queue.shift()!;
      slot.busy = p;
      slot.port.hold?.(true);
      try {
        slot.port.post({ id: p.id, task: p.job.task, payload: p.job.payload, simd: p.job.simd }, p.job.transfer ?? []);
      } catch (e) {
        slot.busy = undefined;
        p.reject(e);
      }
    }
  }
}

/** The worker's error as the same kind of error here (TypeError, RangeError, else Error). */
function revive(e: { name: string; message: string; stack?: string }): Error {
  const Kind = e.name === "TypeError" ? TypeError : e.name === "RangeError" ? RangeError : Error;
  const err = new Kind(e.message);
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}

/**
 * A part of x for a job: the same memory when x is on a SharedArrayBuffer (a view of it, shared with the
 * worker), else a copy of x[from, to) whose buffer is moved with the job (added to `transfer`).
 */
export function ship<T extends ArrayBufferView & { subarray(a: number, b: number): T; slice(a: number, b: number): T }>(
  x: T, from: number, to: number, transfer: Transferable[]): T {
  if (shared(x)) return x.subarray(from, to);
  const c = x.slice(from, to);
  transfer.push(c.buffer as ArrayBuffer);
  return c;
}

/** Whether x's memory is a SharedArrayBuffer (then workers read it in place). */
export function shared(x: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== "undefined" && x.buffer instanceof SharedArrayBuffer;
}
