package validate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// One group of schemas/vectors/*.json (see schemas/vectors/README.md).
type group struct {
	Description    string `json:"description"`
	Message        string `json:"message"`
	DeploymentType string `json:"deployment_type"`
	Strict         bool   `json:"strict"`
	LabelCount     int    `json:"label_count"`
	Tests          []struct {
		Description        string          `json:"description"`
		Data               json.RawMessage `json:"data"`
		Valid              bool            `json:"valid"`
		Concrete           string          `json:"concrete"`
		HTTPDeploymentType string          `json:"http_deployment_type"`
		Problems           []Problem       `json:"problems"`
	} `json:"tests"`
}

func vectorsDir() string {
	if dir := os.Getenv("PICSELLIA_VECTORS"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "schemas", "vectors")
}

// TestVectors walks every vector. The schema (the concrete message where the deployment type
// has one) must refuse exactly the tests with a problem it can find, as error-codes.json's
// checked_by says; the tests it accepts go to the mock (PICSELLIA_MOCK_URL), whose problems must
// be the vector's, domain rules included.
func TestVectors(t *testing.T) {
	contract, err := Load(filepath.Join("..", "..", "schemas"))
	if err != nil {
		t.Fatal(err)
	}
	var mock *Mock
	if base := os.Getenv("PICSELLIA_MOCK_URL"); base != "" {
		mock = NewMock(strings.TrimRight(base, "/"))
		mock.AdminToken = os.Getenv("PICSELLIA_ADMIN_TOKEN")
	}
	files, _ := filepath.Glob(filepath.Join(vectorsDir(), "*.json"))
	var judged, agreed, asked, answered, domain int
	for _, file := range files {
		if filepath.Base(file) == "vectors.schema.json" {
			continue
		}
		var groups []group
		text, err := os.ReadFile(file)
		if err == nil {
			err = json.Unmarshal(text, &groups)
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, g := range groups {
			for _, test := range g.Tests {
				where := fmt.Sprintf("%s | %s | %s", filepath.Base(file), g.Description, test.Description)
				schema := test.Concrete
				if schema == "" {
					deploymentType := g.DeploymentType
					if deploymentType == "" {
						deploymentType = test.HTTPDeploymentType
					}
					schema = contract.Schema(g.Message, deploymentType)
				}
				payload, err := ParseJSON(test.Data)
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				wantValid, onlyRules := schemaVerdict(contract, schema != g.Message, test.Problems)
				if onlyRules {
					domain++
				}
				judged++
				got := contract.Validate(schema, payload)
				if (got == nil) != wantValid {
					t.Errorf("%s\n  %s expected %s, the schema says %s", where, schema,
						describe(wantValid, test.Problems), firstLines(got, 6))
					continue
				}
				agreed++
				if got != nil || mock == nil {
					continue
				}
				asked++
				query := Query{DeploymentType: g.DeploymentType, Strict: g.Strict, LabelCount: g.LabelCount}
				verdict, err := mock.Validate(g.Message, query, test.Data)
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				if verdict.Valid == test.Valid && pairs(verdict.Problems) == pairs(test.Problems) {
					answered++
				} else {
					t.Errorf("%s\n  expected %s %s, the mock answered %s %s", where,
						describe(test.Valid, nil), pairs(test.Problems),
						describe(verdict.Valid, nil), pairs(verdict.Problems))
				}
			}
		}
	}
	fmt.Printf("go-validate: %d vectors, the schema agrees on %d (%d with only domain rules);"+
		" %d sent to the mock, %d agree\n", judged, agreed, domain, asked, answered)
	if judged == 0 {
		t.Fatalf("no vector in %s", vectorsDir())
	}
}

// schemaVerdict: a schema alone refuses a payload when one of its problems is found by a
// schema: a "schema" code, or a "concrete_schema" one when the concrete message is used.
// onlyRules: it has problems and none of them is (the schema says valid, the mock must not).
func schemaVerdict(contract *Contract, concrete bool, problems []Problem) (valid, onlyRules bool) {
	for _, p := range problems {
		switch contract.CheckedBy(p.Code) {
		case "schema":
			return false, false
		case "concrete_schema":
			if concrete {
				return false, false
			}
		}
	}
	return true, len(problems) > 0
}

func describe(valid bool, problems []Problem) string {
	if valid {
		return "valid"
	}
	return "invalid " + pairs(problems)
}

// pairs is the sorted set of (code, pointer) pairs, as text.
func pairs(problems []Problem) string {
	seen := map[string]bool{}
	for _, p := range problems {
		seen[p.Code+" at '"+p.Pointer+"'"] = true
	}
	list := make([]string, 0, len(seen))
	for pair := range seen {
		list = append(list, pair)
	}
	sort.Strings(list)
	return "[" + strings.Join(list, ", ") + "]"
}

func firstLines(err error, n int) string {
	if err == nil {
		return "valid"
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("  ... %d more lines", len(lines)-n))
	}
	return strings.Join(lines, "\n    ")
}
