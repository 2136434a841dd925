// Runs every test vector (schemas/vectors/*.json) as a TypeScript client would check a payload:
// Ajv against the schema (the deployment type's concrete message where there is one), which must
// refuse exactly the tests with a problem a schema finds (error-codes.json's checked_by); then
// each test Ajv accepts goes to the mock (PICSELLIA_MOCK_URL, when set), whose (code, pointer)
// pairs must be the vector's, domain rules included.
// Usage: node dist/run-vectors.js [vectors-folder]   (default: schemas/vectors)
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Contract, readJson } from "./contract.js";
import { askMock, type Problem } from "./mock.js";

interface Group {
  description: string;
  message: string;
  deployment_type?: string | null;
  strict?: boolean;
  label_count?: number;
  tests: {
    description: string;
    data: unknown;
    valid: boolean;
    concrete?: string;
    http_deployment_type?: string | null;
    problems?: Problem[];
  }[];
}

const SCHEMAS = fileURLToPath(new URL("../../../schemas/", import.meta.url));
const VECTORS = resolve(process.argv[2] ?? join(SCHEMAS, "vectors"));
const MOCK = process.env.PICSELLIA_MOCK_URL?.replace(/\/+$/, "");
const ADMIN_TOKEN = process.env.PICSELLIA_ADMIN_TOKEN; // a mock served with --admin-token

const pairs = (problems: Problem[] = []) =>
  `[${[...new Set(problems.map((p) => `${p.code} at '${p.pointer}'`))].sort().join(", ")}]`;

/** A schema refuses a payload with a "schema" problem, or a "concrete_schema" one when the
 * concrete message is used; a payload whose problems are all domain rules passes it. */
function schemaShouldAccept(contract: Contract, problems: Problem[], concrete: boolean): boolean {
  return problems.every((p) => {
    const by = contract.checkedByOf(p.code);
    return by === "domain_rule" || (by === "concrete_schema" && !concrete);
  });
}

/** The groups of one vectors file, or an error naming the file. */
function readGroups(path: string): Group[] {
  let groups: unknown;
  try {
    groups = readJson(path);
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const isGroup = (g: unknown) => Array.isArray((g as { tests?: unknown } | null)?.tests);
  if (!Array.isArray(groups) || !groups.every(isGroup)) {
    throw new Error(`${path}: not a vectors file (a list of groups, each with its "tests")`);
  }
  return groups as Group[];
}

async function main(): Promise<number> {
  const contract = new Contract(SCHEMAS);
  let judged = 0, agreed = 0, onlyRules = 0, asked = 0, answered = 0;
  const files = readdirSync(VECTORS).filter((n) => n.endsWith(".json") && n !== "vectors.schema.json");
  for (const file of files.sort()) {
    for (const group of readGroups(join(VECTORS, file))) {
      for (const test of group.tests) {
        const where = `${file} | ${group.description} | ${test.description}`;
        const type = group.deployment_type ?? test.http_deployment_type;
        const schema = test.concrete ?? contract.schemaFor(group.message, type);
        const problems = test.problems ?? [];
        const accept = schemaShouldAccept(contract, problems, schema !== group.message);
        if (accept && problems.length > 0) onlyRules++;
        judged++;
        const errors = contract.validate(schema, test.data);
        if ((errors === null) !== accept) {
          console.log(`FAIL ${where}\n  ${schema} expected ${accept ? "valid" : `invalid ${pairs(problems)}`}`);
          console.log(`  Ajv: ${errors ?? "valid"}`);
          continue;
        }
        agreed++;
        if (errors !== null || !MOCK) continue;
        asked++;
        const options = {
          deploymentType: group.deployment_type,
          strict: group.strict,
          labelCount: group.label_count,
          adminToken: ADMIN_TOKEN,
        };
        const verdict = await askMock(MOCK, group.message, test.data, options);
        if (verdict.valid === test.valid && pairs(verdict.problems) === pairs(problems)) {
          answered++;
          continue;
        }
        console.log(`FAIL ${where}\n  expected ${test.valid ? "valid" : "invalid"} ${pairs(problems)}`);
        console.log(`  the mock: ${verdict.valid ? "valid" : "invalid"} ${pairs(verdict.problems)}`);
      }
    }
  }
  console.log(
    `ajv: ${judged} vectors, the schema agrees on ${agreed} (${onlyRules} with only domain rules);` +
      ` ${asked} sent to the mock, ${answered} agree` + (MOCK ? "" : " (PICSELLIA_MOCK_URL not set)"),
  );
  return judged > 0 && agreed === judged && answered === asked ? 0 : 1;
}

// A folder, a file or a mock that cannot be read is one line and exit status 2, not a stack.
main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(`ajv: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
