// Shared by the Node tests: where things are, and the two built packages.
//
// `loadNode()` is wasm/pkg-node (wasm-bindgen --target nodejs, CommonJS, loads itself);
// `loadWeb()` is wasm/pkg (--target web, the ES module the checker page uses), initialised
// synchronously from the .wasm bytes. Both must answer alike.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const wasmDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = join(wasmDir, "..");
export const outputDir = join(wasmDir, "test-output");

function need(path) {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: build the packages first (wasm/build.sh)`);
  }
  return path;
}

let nodePackage;
/** The Node.js package (wasm/pkg-node). */
export function loadNode() {
  nodePackage ??= createRequire(import.meta.url)(need(join(wasmDir, "pkg-node", "eduaid.js")));
  return nodePackage;
}

let webPackage;
/** The browser/bundler ES module package (wasm/pkg), initialised from its bytes. */
export async function loadWeb() {
  if (!webPackage) {
    const module = await import(need(join(wasmDir, "pkg", "eduaid.js")));
    module.initSync({ module: readFileSync(join(wasmDir, "pkg", "eduaid_bg.wasm")) });
    webPackage = module;
  }
  return webPackage;
}

/** The workspace version of Cargo.toml (the packages carry it). */
export function workspaceVersion() {
  const text = readFileSync(join(repoRoot, "Cargo.toml"), "utf8");
  const section = text.slice(text.indexOf("[workspace.package]"));
  return /^version\s*=\s*"([^"]+)"/m.exec(section)?.[1];
}
