// Peers used only by the benchmark and the runtime checks, kept out of the
// contributor's `npm install`: each group is pinned by a package.json and a
// package-lock.json under scripts/peers/<group>/, and installed on first use
// (`npm ci`) into its own folder .peers/<group>/ (git-ignored). It is installed
// again only when those two files change.
//
//   bench     bench/run.mjs: @tensorflow/tfjs-core, @tensorflow/tfjs-backend-wasm, ml-distance
//   runtimes  scripts/runtimes.mjs: deno, bun, workerd, playwright-core, publint, @arethetypeswrong/cli
//
// In a script:
//   import { peerImport, peerBin, peerRequire } from "../scripts/peers.mjs";
//   const ml = await peerImport("bench", "ml-distance");  // import() resolved from .peers/bench
//   const deno = peerBin("runtimes", "deno");               // .peers/runtimes/node_modules/.bin/deno
// From the shell (e.g. to fetch them ahead of time): node scripts/peers.mjs [group ...]
//
// To change a pin: edit scripts/peers/<group>/package.json (exact versions), then
// `npm install --package-lock-only` in that folder, and commit both files.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const pins = join(root, "scripts", "peers");
const installs = process.env.KL_PEERS_DIR ? resolve(process.env.KL_PEERS_DIR) : join(root, ".peers");
const STAMP = ".pinned";
const PINNED_FILES = ["package.json", "package-lock.json"];

/** The groups there are: the folders under scripts/peers/. */
export const groups = () => readdirSync(pins, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

/** A digest of the group's pinned set (its package.json and package-lock.json). */
function digest(group) {
  const h = createHash("sha256");
  for (const f of PINNED_FILES) {
    const file = join(pins, group, f);
    if (!existsSync(file)) throw new Error(`peers: ${file} is missing (groups: ${groups().join(", ")})`);
    h.update(f).update("\0").update(readFileSync(file)).update("\0");
  }
  return h.digest("hex");
}

/** Where the group is installed: .peers/<group>/ (a folder with its own package.json and node_modules). */
export const peerDir = (group) => join(installs, group);

/** The group installed as pinned, then its folder. Installs (npm ci) only when the
 *  folder is missing or was installed from another pinned set. Synchronous. */
export function ensurePeers(group, { log = (m) => console.error(m) } = {}) {
  const want = digest(group);
  const dir = peerDir(group);
  const stamp = join(dir, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want && existsSync(join(dir, "node_modules"))) return dir;
  log(`peers: installing the pinned ${group} peers into ${dir} (npm ci; once, until scripts/peers/${group}/ changes)`);
  mkdirSync(installs, { recursive: true });
  // install beside, then swap in: a failed or interrupted install leaves no half folder behind
  const tmp = `${dir}.installing-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  for (const f of PINNED_FILES) copyFileSync(join(pins, group, f), join(tmp, f));
  // a module inside the folder, so that import() resolves bare names from the folder's
  // node_modules exactly as Node's ESM resolver does for the peers themselves
  writeFileSync(join(tmp, "load.mjs"), "export const load = (spec) => import(spec);\nexport const where = (spec) => import.meta.resolve(spec);\n");
  try {
    execFileSync("npm", ["ci", "--prefix", tmp, "--no-audit", "--no-fund", "--loglevel", "warn"], {
      cwd: tmp, stdio: ["ignore", "inherit", "inherit"],
    });
    writeFileSync(join(tmp, STAMP), `${want}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`peers: npm ci of the ${group} peers failed: ${e.message}`);
  }
  return dir;
}

/** A peer's executable: .peers/<group>/node_modules/.bin/<name>. */
export function peerBin(group, name) {
  const file = join(ensurePeers(group), "node_modules", ".bin", name);
  if (!existsSync(file)) throw new Error(`peers: no executable ${name} in the ${group} peers (scripts/peers/${group}/package.json)`);
  return file;
}

/** require(), resolving from the group's folder (e.g. require.resolve("pkg/package.json")). */
export const peerRequire = (group) => createRequire(join(ensurePeers(group), "package.json"));

async function loader(group) {
  return import(pathToFileURL(join(ensurePeers(group), "load.mjs")).href);
}

/** import(spec), resolved from the group's folder: the same module instance the other peers of the group import. */
export async function peerImport(group, spec) {
  return (await loader(group)).load(spec);
}

/** The file: URL import(spec) would load from the group's folder. */
export async function peerResolve(group, spec) {
  return (await loader(group)).where(spec);
}

// node scripts/peers.mjs [group ...]: install the named groups (all, if none)
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const names = process.argv.slice(2);
  for (const g of names.length ? names : groups()) console.log(`${g}: ${ensurePeers(g)}`);
}
