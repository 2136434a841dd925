// The contract kit's schemas, compiled by Ajv (JSON Schema 2020-12, strict mode), with no
// network: every schemas/*.json that has a "$schema" is added under its $id, so each $ref
// resolves among the files. What finds each error code is read from error-codes.json.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** What finds a code (error-codes.json's checked_by); absent for the mock server's own codes. */
export type CheckedBy = "schema" | "concrete_schema" | "domain_rule";

interface Catalogue {
  codes: { code: string; checked_by?: CheckedBy }[];
}

interface Vocabulary {
  keywords: Record<string, { schema: object }>;
}

export const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

export class Contract {
  readonly ajv = new Ajv2020({ strict: true, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>(); // file stem -> validator
  private readonly concretes = new Map<string, string>(); // "message TYPE" -> concrete stem
  private readonly checkedBy = new Map<string, CheckedBy>();

  constructor(schemasDir: string) {
    addFormats(this.ajv); // uuid, uri-reference, json-pointer; OpenAPI's double and binary too
    // The project's annotation keywords (x-error-code, x-geometry, ...): strict Ajv refuses a
    // keyword it does not know, so each is declared, with the schema its value must match.
    const { keywords } = readJson(join(schemasDir, "meta", "vocabulary.json")) as Vocabulary;
    this.ajv.addVocabulary(
      Object.entries(keywords).map(([keyword, { schema }]) => ({ keyword, metaSchema: schema })),
    );
    const ids = new Map<string, string>();
    for (const name of readdirSync(schemasDir).filter((n) => n.endsWith(".json"))) {
      const schema = readJson(join(schemasDir, name)) as Record<string, unknown>;
      if (!schema.$schema) continue; // openapi.json, error-codes.json: not schemas
      this.ajv.addSchema(schema);
      const stem = name.slice(0, -".json".length);
      ids.set(stem, schema.$id as string);
      // A concrete message names the message it is generated from and its deployment type.
      const from = schema["x-generated-from"], type = schema["x-deployment-type"];
      if (typeof from === "string" && typeof type === "string") {
        this.concretes.set(`${from.slice(0, -".json".length)} ${type}`, stem);
      }
    }
    for (const [stem, id] of ids) this.validators.set(stem, this.ajv.getSchema(id)!);
    const { codes } = readJson(join(schemasDir, "error-codes.json")) as Catalogue;
    for (const { code, checked_by } of codes) if (checked_by) this.checkedBy.set(code, checked_by);
  }

  /** The deployment type's concrete message when there is one (no union), else the message. */
  schemaFor(message: string, deploymentType?: string | null): string {
    return this.concretes.get(`${message} ${deploymentType}`) ?? message;
  }

  /** Ajv's verdict on data, against a schema named by file stem: null when valid. */
  validate(schema: string, data: unknown): string | null {
    const validate = this.validators.get(schema);
    if (!validate) throw new Error(`no schema file named ${schema}.json`);
    return validate(data) ? null : this.ajv.errorsText(validate.errors);
  }

  checkedByOf(code: string): CheckedBy | undefined {
    return this.checkedBy.get(code);
  }

  /** The codes one kind of check finds, sorted. */
  codes(checkedBy: CheckedBy): string[] {
    return [...this.checkedBy].filter(([, by]) => by === checkedBy).map(([c]) => c).sort();
  }
}
