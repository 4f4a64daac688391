// A typed array for a job of kl-wasm/parallel: on a SharedArrayBuffer as it is (the worker reads it in place), else its
// own copy, moved with the job (a view would clone its whole buffer); anything else as it is (cloned).
import { shared } from "./pool.js";

/** A call's options read once, before its first run (replay.ts runs the synchronous function several times): their
 *  own enumerable properties (the keys checkOptions of src/core/validate.ts reads; each getter run once) into a plain
 *  object, each value as it is (`out`: the same typed array) but a plain array (`weights`), copied (each element's
 *  getter run once); anything but such an object (undefined, null, a number, an array) as it is, for the synchronous
 *  function's own error. */
export function snapshot<T>(options: T): T {
  if (options === null || typeof options !== "object" || Array.isArray(options)) return options;
  const o = { ...options } as Record<string, unknown>;
  for (const k in o) if (Array.isArray(o[k])) o[k] = (o[k] as unknown[]).slice();
  return o as T;
}

export function own<T>(x: T, transfer: Transferable[]): T {
  if (!ArrayBuffer.isView(x) || x instanceof DataView || shared(x)) return x;
  const c = (x as unknown as Float64Array).slice();
  transfer.push(c.buffer);
  return c as unknown as T;
}
