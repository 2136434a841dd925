package validate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneProblemIsOneLine: against the concrete message, a payload with one structural problem
// gets an error of one line naming where it is, not a dump of the union's seven branches.
func TestOneProblemIsOneLine(t *testing.T) {
	contract, err := Load(filepath.Join("..", "..", "schemas"))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "schemas", "vectors", "*.json"))
	checked := 0
	for _, file := range files {
		var groups []group
		if text, err := os.ReadFile(file); err != nil || json.Unmarshal(text, &groups) != nil {
			continue // vectors.schema.json; TestVectors reports an unreadable vectors file
		}
		for _, g := range groups {
			for _, test := range g.Tests {
				kind := g.DeploymentType
				if kind == "" {
					kind = test.HTTPDeploymentType
				}
				schema := contract.Schema(g.Message, kind)
				if schema == g.Message || len(test.Problems) != 1 {
					continue
				}
				problem := test.Problems[0]
				if contract.CheckedBy(problem.Code) != "schema" {
					continue
				}
				payload, _ := ParseJSON(test.Data)
				err := contract.Validate(schema, payload)
				if err == nil {
					t.Errorf("%s: the schema says valid", test.Description)
					continue
				}
				var lines []string
				for _, line := range strings.Split(err.Error(), "\n") {
					if strings.HasPrefix(strings.TrimSpace(line), "- at ") {
						lines = append(lines, line)
					}
				}
				checked++
				if len(lines) != 1 || !strings.Contains(lines[0], "'"+parent(problem.Pointer)) {
					t.Errorf("%s: expected one line at %s, got:\n%v", test.Description, problem.Pointer, err)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no vector with one structural problem and a concrete message")
	}
	t.Logf("%d payloads with one structural problem: one line each", checked)
}

// parent: where a validator reports a problem whose pointer names a missing or unknown field.
func parent(pointer string) string {
	if i := strings.LastIndex(pointer, "/"); i >= 0 {
		return pointer[:i]
	}
	return pointer
}
