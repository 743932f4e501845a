// Shared by the corpus runners (conformance*.test.mjs): serde_json::Value semantics in
// JavaScript, so the comparisons are exactly those of the Rust runners.
//
// A missing key reads as null (`value["key"]`); objects compare by key set, not key order;
// arrays by position. JSON.parse cannot tell 3 from 3.0, so numbers compare as numbers
// (the corpora write integers where Rust reads integers).

export const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** `value[key]` of serde_json: null when `value` is not an object or lacks the key. */
export const at = (value, key) => (isObject(value) && Object.hasOwn(value, key) ? value[key] : null);

export const asStr = (v) => (typeof v === "string" ? v : undefined);
export const asArray = (v) => (Array.isArray(v) ? v : undefined);
/** serde_json's as_u64. */
export const asU64 = (v) => (Number.isInteger(v) && v >= 0 ? v : undefined);
/** A value as serde_json's Display writes it (compact JSON), for messages. */
export const show = (v) => JSON.stringify(v ?? null);

/** serde_json::Value equality. */
export function jsonEq(a, b) {
  a ??= null;
  b ??= null;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEq(x, b[i]));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEq(a[k], b[k]));
  }
  return a === b;
}

/** An EduaidError as `Error::to_json` writes it (serde_json sorts the keys). */
export const errorJson = (e) => JSON.stringify({ code: e.code, field: e.field, kind: e.kind, message: e.message });

const byUtf8 = (a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/**
 * `serde_json::to_string_pretty` of a `serde_json::Value`: two-space indentation, `": "`
 * after keys, `[]` and `{}` when empty and, since the workspace does not enable
 * serde_json's `preserve_order`, object keys sorted by their bytes. Written out rather
 * than through `JSON.stringify(v, null, 2)`, which would put integer-like keys first.
 */
export function prettyRust(value, indent = "") {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + prettyRust(v, inner)).join(",\n")}\n${indent}]`;
  }
  if (isObject(value)) {
    const keys = Object.keys(value).sort(byUtf8);
    if (keys.length === 0) return "{}";
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${prettyRust(value[k], inner)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}
