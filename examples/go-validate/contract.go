// Package validate is a recipe: check a payload against the Picsellia contract from Go, with no
// Python. The schemas of schemas/ are compiled by santhosh-tekuri/jsonschema (JSON Schema
// 2020-12), every $ref resolved among the files themselves (no network); the rules no schema
// expresses are asked of the mock's POST /__admin/validate/{message} (see mock.go).
package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Contract holds every compiled schema, keyed by file stem (e.g. "monitoring-prediction-request"),
// and what finds each error code (error-codes.json's checked_by).
type Contract struct {
	schemas   map[string]*jsonschema.Schema
	concrete  map[[2]string]string // (message, deployment type) -> concrete message
	checkedBy map[string]string    // code -> "schema", "concrete_schema" or "domain_rule"
}

// Load compiles every schema file of dir (those with a "$schema") and reads its error-codes.json.
func Load(dir string) (*Contract, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	compiler := jsonschema.NewCompiler()
	compiler.DefaultDraft(jsonschema.Draft2020)
	compiler.AssertFormat() // uuid, uri-reference, json-pointer: checked, as the Python validator does
	ids := map[string]string{}
	c := &Contract{schemas: map[string]*jsonschema.Schema{}, concrete: map[[2]string]string{}}
	for _, path := range paths {
		doc, err := readJSON(path)
		if err != nil {
			return nil, err
		}
		schema, ok := doc.(map[string]any)
		if !ok || schema["$schema"] == nil {
			continue // openapi.json, error-codes.json: not schemas
		}
		stem := strings.TrimSuffix(filepath.Base(path), ".json")
		id, _ := schema["$id"].(string)
		if err := compiler.AddResource(id, schema); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		ids[stem] = id
		// A concrete message names the message it is generated from and its deployment type.
		from, _ := schema["x-generated-from"].(string)
		kind, _ := schema["x-deployment-type"].(string)
		if from != "" && kind != "" {
			c.concrete[[2]string{strings.TrimSuffix(from, ".json"), kind}] = stem
		}
	}
	for stem, id := range ids {
		if c.schemas[stem], err = compiler.Compile(id); err != nil {
			return nil, fmt.Errorf("compiling %s: %w", stem, err)
		}
	}
	c.checkedBy, err = readCheckedBy(filepath.Join(dir, "error-codes.json"))
	return c, err
}

// Schema picks what to validate against: the deployment type's concrete message when the
// contract has one (no union of seven types, and a payload of another type is refused), else
// the message itself.
func (c *Contract) Schema(message, deploymentType string) string {
	if stem, ok := c.concrete[[2]string{message, deploymentType}]; ok {
		return stem
	}
	return message
}

// Validate checks a payload (decoded by ParseJSON) against a schema named by file stem.
func (c *Contract) Validate(schema string, payload any) error {
	compiled, ok := c.schemas[schema]
	if !ok {
		return fmt.Errorf("no schema named %q", schema)
	}
	return compiled.Validate(payload)
}

// CheckedBy says what finds a code: "schema", "concrete_schema" or "domain_rule" ("" for the
// mock server's own codes).
func (c *Contract) CheckedBy(code string) string { return c.checkedBy[code] }

// Codes lists the codes found by one kind of check, sorted.
func (c *Contract) Codes(checkedBy string) []string {
	var codes []string
	for code, by := range c.checkedBy {
		if by == checkedBy {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	return codes
}

// ParseJSON decodes JSON text as the validator wants it (numbers kept as json.Number).
func ParseJSON(text []byte) (any, error) {
	return jsonschema.UnmarshalJSON(bytes.NewReader(text))
}

func readJSON(path string) (any, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	doc, err := ParseJSON(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, nil
}

func readCheckedBy(path string) (map[string]string, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var catalogue struct {
		Codes []struct {
			Code      string `json:"code"`
			CheckedBy string `json:"checked_by"`
		} `json:"codes"`
	}
	if err := json.Unmarshal(text, &catalogue); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	checkedBy := map[string]string{}
	for _, entry := range catalogue.Codes {
		checkedBy[entry.Code] = entry.CheckedBy
	}
	return checkedBy, nil
}
