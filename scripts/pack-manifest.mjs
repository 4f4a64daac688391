// The package.json that `npm pack` and `npm publish` ship, without the contributor's
// install script. `prepare` (npm run build) is what builds dist/ when a contributor
// runs `npm install` in a clone; in the tarball it has no use (dist/ is in it), but
// npm lists a `prepare` of a tarball, file, git or remote dependency as an install
// script ("npm warn install-scripts 1 package has install scripts not yet covered by
// allowScripts: kl-wasm@0.1.0 (prepare: npm run build)"). So, as pinst does for
// postinstall:
//
//   prepack:  node scripts/pack-manifest.mjs strip    (after the build)
//   postpack: node scripts/pack-manifest.mjs restore
//
// strip takes scripts.prepare out of package.json and keeps it in
// node_modules/.cache/kl-wasm-pack.json; restore puts it back where it was. A pack
// that dies between the two leaves the record, and the next strip or restore uses it.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const manifest = join(root, "package.json");
const record = join(root, "node_modules", ".cache", "kl-wasm-pack.json");
const STRIP = ["prepare"];

const read = () => {
  const text = readFileSync(manifest, "utf8");
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? "  ";
  return { pkg: JSON.parse(text), indent, eol: text.endsWith("\n") ? "\n" : "" };
};
const write = ({ pkg, indent, eol }) => writeFileSync(manifest, JSON.stringify(pkg, null, indent) + eol);

function strip() {
  const m = read();
  const scripts = m.pkg.scripts ?? {};
  const kept = existsSync(record) ? JSON.parse(readFileSync(record, "utf8")) : {};
  const keys = Object.keys(scripts);
  let changed = false;
  for (const name of STRIP) {
    if (!(name in scripts)) continue;
    const at = keys.indexOf(name);
    kept[name] = { value: scripts[name], after: at > 0 ? keys[at - 1] : null };
    delete scripts[name];
    changed = true;
  }
  if (!changed) return;
  mkdirSync(dirname(record), { recursive: true });
  writeFileSync(record, JSON.stringify(kept, null, 2) + "\n");
  write(m);
}

function restore() {
  if (!existsSync(record)) return;
  const kept = JSON.parse(readFileSync(record, "utf8"));
  const m = read();
  const scripts = m.pkg.scripts ?? {};
  for (const [name, { value, after }] of Object.entries(kept)) {
    if (name in scripts) continue;
    // put the script back at its place: right after the one it followed
    const entries = Object.entries(scripts);
    const at = after === null ? 0 : entries.findIndex(([k]) => k === after) + 1 || entries.length;
    entries.splice(at, 0, [name, value]);
    for (const k of Object.keys(scripts)) delete scripts[k];
    Object.assign(scripts, Object.fromEntries(entries));
  }
  m.pkg.scripts = scripts;
  write(m);
  rmSync(record);
}

const command = process.argv[2];
if (command === "strip") strip();
else if (command === "restore") restore();
else {
  console.error("usage: node scripts/pack-manifest.mjs strip|restore");
  process.exit(2);
}
