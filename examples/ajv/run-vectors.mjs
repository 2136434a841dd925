// Runs the contract kit's test vectors (schemas/vectors/*.json) with Ajv, JSON Schema 2020-12,
// strict mode. A plain JSON Schema validator checks structure only, so a test is judged when
//   - it is valid and lists no problems (no warnings either), or
//   - it is invalid and every one of its problems has a structural code (STRUCTURAL below);
// the others need the rules of docs/porting-guide.md and are skipped.
// Usage: node examples/ajv/run-vectors.mjs [vectors-folder]   (default: schemas/vectors)
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const SCHEMAS = fileURLToPath(new URL("../../schemas/", import.meta.url));
const VECTORS = resolve(process.argv[2] ?? join(SCHEMAS, "vectors"));
const STRUCTURAL = new Set([
  "missing_property", "unknown_property", "wrong_type", "invalid_value", "out_of_range",
  "invalid_string", "wrong_item_count",
]);
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
const jsonFiles = (dir) => readdirSync(dir).filter((name) => name.endsWith(".json")).sort();

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv); // uuid, uri-reference, json-pointer, and OpenAPI's double
// The project's annotation keywords (x-error-code, x-geometry, ...): strict Ajv refuses unknown
// keywords, so register each, with the schema its value must match.
const { keywords } = readJson(join(SCHEMAS, "meta", "vocabulary.json"));
ajv.addVocabulary(
  Object.entries(keywords).map(([keyword, { schema }]) => ({ keyword, metaSchema: schema })),
);

// Every schema file with a $schema (not openapi.json, error-codes.json, ...), keyed by its $id;
// then compile each (strict mode checks every schema, not only those the vectors use).
const idOf = {}; // file stem -> $id
for (const name of jsonFiles(SCHEMAS)) {
  const schema = readJson(join(SCHEMAS, name));
  if (!schema.$schema) continue;
  ajv.addSchema(schema);
  idOf[name.slice(0, -".json".length)] = schema.$id;
}
const validators = Object.fromEntries(
  Object.entries(idOf).map(([stem, id]) => [stem, ajv.getSchema(id)]),
);

let passed = 0, failed = 0, skipped = 0;
for (const file of jsonFiles(VECTORS).filter((name) => name !== "vectors.schema.json")) {
  for (const group of readJson(join(VECTORS, file))) {
    const validate = validators[group.message];
    if (!validate) throw new Error(`${file}: no schema file named ${group.message}.json`);
    for (const test of group.tests) {
      const codes = (test.problems ?? []).map((problem) => problem.code);
      const judged = test.valid ? codes.length === 0 : codes.every((c) => STRUCTURAL.has(c));
      if (!judged) { skipped++; continue; }
      if (validate(test.data) === test.valid) { passed++; continue; }
      failed++;
      console.log(`FAIL ${file} | ${group.description} | ${test.description}`);
      console.log(`  expected ${test.valid ? "valid" : `invalid: ${JSON.stringify(test.problems)}`}`);
      console.log(`  Ajv: ${validate.errors ? ajv.errorsText(validate.errors) : "valid"}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
