// Preload for Node tools (NODE_OPTIONS=--import=.../schema-ids.mjs): fetch() of a schema $id,
// https://picsellia-mock.invalid/schemas/<file>, reads schemas/<file> instead, as the contract's
// registry does. Lets a linter load openapi.json by its $id URL, so that references resolve
// against the same base as the $id inside each schema file. Any other URL is refused: offline.
// PICSELLIA_SCHEMA_DIR names another folder of schema files (the gate's own tests use it).
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const BASE = "https://picsellia-mock.invalid/schemas/";
const SCHEMAS = process.env.PICSELLIA_SCHEMA_DIR
  ? process.env.PICSELLIA_SCHEMA_DIR.replace(/\/?$/, "/")
  : fileURLToPath(new URL("../../schemas/", import.meta.url));

globalThis.fetch = async (input) => {
  const url = String(input instanceof Request ? input.url : input);
  if (!url.startsWith(BASE)) {
    return new Response(`offline: ${url}`, { status: 404, statusText: "Not Found" });
  }
  const name = url.slice(BASE.length).split("#")[0];
  try {
    const body = await readFile(SCHEMAS + name, "utf8");
    return new Response(body, { headers: { "content-type": "application/json" } });
  } catch {
    return new Response(`no schema file ${name}`, { status: 404, statusText: "Not Found" });
  }
};
