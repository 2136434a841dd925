package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Problem is one entry of the answer's "problems" (schemas/problem.json).
type Problem struct {
	Code     string `json:"code"`
	Pointer  string `json:"pointer"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

// Verdict is the answer of POST /__admin/validate/{message} (schemas/admin-validate-response.json):
// valid is true when no problem is an error.
type Verdict struct {
	Valid    bool      `json:"valid"`
	Problems []Problem `json:"problems"`
}

// Mock asks a running mock server for the verdict of the full contract, domain rules included.
type Mock struct {
	BaseURL    string // e.g. http://127.0.0.1:8080, as PICSELLIA_MOCK_URL gives it
	AdminToken string // the token of a mock served with --admin-token (PICSELLIA_ADMIN_TOKEN), or ""
	HTTP       *http.Client
}

// NewMock is a Mock with a 10 s timeout on every call.
func NewMock(baseURL string) *Mock {
	return &Mock{BaseURL: baseURL, HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// Query is the query of POST /__admin/validate/{message} (schemas/admin-validate-query.json).
type Query struct {
	DeploymentType string // "" lets the mock infer it from the raw predictions' keys
	Strict         bool   // warnings count as errors
	LabelCount     int    // the deployment's labels; 0: class indexes are not checked against them
}

// Validate posts the payload's JSON text to POST /__admin/validate/{message}.
func (m *Mock) Validate(message string, q Query, payload []byte) (Verdict, error) {
	query := url.Values{}
	if q.DeploymentType != "" {
		query.Set("deployment_type", q.DeploymentType)
	}
	if q.Strict {
		query.Set("strict", "true")
	}
	if q.LabelCount > 0 {
		query.Set("label_count", strconv.Itoa(q.LabelCount))
	}
	address := m.BaseURL + "/__admin/validate/" + url.PathEscape(message)
	if len(query) > 0 {
		address += "?" + query.Encode()
	}
	request, err := http.NewRequest(http.MethodPost, address, bytes.NewReader(payload))
	if err != nil {
		return Verdict{}, err
	}
	request.Header.Set("Content-Type", "application/json")
	if m.AdminToken != "" {
		request.Header.Set("Authorization", "Bearer "+m.AdminToken)
	}
	answer, err := m.HTTP.Do(request)
	if err != nil {
		return Verdict{}, err
	}
	defer answer.Body.Close()
	body, err := io.ReadAll(answer.Body)
	if err != nil {
		return Verdict{}, err
	}
	if answer.StatusCode == http.StatusUnauthorized {
		return Verdict{}, fmt.Errorf("POST %s answered 401: the mock requires an admin token: set PICSELLIA_ADMIN_TOKEN", address)
	}
	if answer.StatusCode != http.StatusOK {
		return Verdict{}, fmt.Errorf("POST %s answered %d: %s", address, answer.StatusCode, body)
	}
	var verdict Verdict
	if err := json.Unmarshal(body, &verdict); err != nil {
		return Verdict{}, fmt.Errorf("POST %s: %w", address, err)
	}
	return verdict, nil
}
