package client

// Certifies this client over HTTP: for every scenario the mock serves, start it, perform its
// calls with this client, post the outcome, and fail on any unmet expectation. The mock is the
// one at $PICSELLIA_MOCK_URL, or one started here with `picsellia-mock serve --port 0`.

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// action is conformance-action.json, as far as the client needs it.
type action struct {
	ServingURL     string            `json:"serving_url"`
	MonitoringURL  string            `json:"monitoring_url"`
	DeploymentID   string            `json:"deployment_id"`
	APIToken       string            `json:"api_token"`
	Files          map[string]string `json:"files"`
	TimeoutSeconds float64           `json:"timeout_seconds"`
	Calls          []struct {
		Operation string          `json:"operation"`
		Input     json.RawMessage `json:"input"`
	} `json:"calls"`
}

// input holds the keys of every operation's input (conformance-action.json's $defs).
type input struct {
	Image, Filename, ContentType, PredictionID, Service *string
	Source, UploadDir, ModelID                          *string
	Tags, Includes, Excludes                            []string
	Monitor, Postprocess, SingularRoute, Sample         *bool
	Metadata, CustomMetadata, CustomMetrics             map[string]any
	CloudImage, RawPredictions, ShadowRawPredictions    any
	Latency, ShadowLatency, Timestamp                   *float64
	FromTimestamp, ToTimestamp, Since                   *float64
}

func (in *input) UnmarshalJSON(data []byte) error {
	// The keys are snake_case: mapped by hand, an unknown one refused.
	fields := map[string]any{"image": &in.Image, "filename": &in.Filename, "content_type": &in.ContentType,
		"prediction_id": &in.PredictionID, "service": &in.Service, "source": &in.Source,
		"upload_dir": &in.UploadDir, "model_id": &in.ModelID, "tags": &in.Tags, "includes": &in.Includes,
		"excludes": &in.Excludes, "monitor": &in.Monitor, "postprocess": &in.Postprocess,
		"singular_route": &in.SingularRoute, "sample": &in.Sample, "metadata": &in.Metadata,
		"custom_metadata": &in.CustomMetadata, "custom_metrics": &in.CustomMetrics,
		"cloud_image": &in.CloudImage, "raw_predictions": &in.RawPredictions,
		"shadow_raw_predictions": &in.ShadowRawPredictions, "latency": &in.Latency,
		"shadow_latency": &in.ShadowLatency, "timestamp": &in.Timestamp,
		"from_timestamp": &in.FromTimestamp, "to_timestamp": &in.ToTimestamp, "since": &in.Since}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	for key, value := range raw {
		target, known := fields[key]
		if !known {
			return fmt.Errorf("unknown input key %q", key)
		}
		if err := json.Unmarshal(value, target); err != nil {
			return fmt.Errorf("input key %q: %w", key, err)
		}
	}
	return nil
}

// perform runs one action's calls in order, one client per service, and answers the outcome.
func perform(a action) map[string]any {
	options := Options{Timeout: time.Duration(a.TimeoutSeconds * float64(time.Second))}
	serving := NewServingClient(a.ServingURL, a.DeploymentID, a.APIToken, options)
	monitoring := NewMonitoringClient(a.MonitoringURL, a.DeploymentID, a.APIToken, options)
	results := []map[string]any{}
	for _, call := range a.Calls {
		value, err := performCall(a, serving, monitoring, call.Operation, call.Input)
		if err != nil {
			results = append(results, map[string]any{"ok": false, "error": describe(err)})
		} else {
			results = append(results, map[string]any{"ok": true, "value": value})
		}
	}
	return map[string]any{"results": results}
}

func performCall(a action, serving *ServingClient, monitoring *MonitoringClient, operation string, raw json.RawMessage) (any, error) {
	var in input
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &in); err != nil {
			return nil, &RequestInvalid{Message: err.Error()}
		}
	}
	image := func() (Image, error) { // the action carries its files inline, as base64
		if in.Image == nil {
			return Image{}, refuse("missing_property", "/image", "an image is required")
		}
		data, err := base64.StdEncoding.DecodeString(a.Files[*in.Image])
		if err != nil || data == nil {
			return Image{}, &RequestInvalid{Message: "no file " + *in.Image + " in the action"}
		}
		filename := filepath.Base(*in.Image)
		if in.Filename != nil {
			filename = *in.Filename
		}
		return Image{Data: data, Filename: filename}, nil
	}
	text := func(value *string) string {
		if value == nil {
			return ""
		}
		return *value
	}
	number := func(value *float64) float64 {
		if value == nil {
			return 0
		}
		return *value
	}
	switch operation {
	case "predict":
		file, err := image()
		if err != nil {
			return nil, err
		}
		return serving.Predict(file, PredictOptions{Tags: in.Tags, Source: in.Source, UploadDir: in.UploadDir,
			Monitor: in.Monitor, Postprocess: in.Postprocess, Metadata: in.Metadata,
			CustomMetadata: in.CustomMetadata, SingularRoute: in.SingularRoute != nil && *in.SingularRoute})
	case "predict_cloud_image":
		return serving.PredictCloudImage(in.CloudImage, CloudPredictOptions{Tags: in.Tags, Source: in.Source,
			Monitor: in.Monitor, Postprocess: in.Postprocess, Metadata: in.Metadata, CustomMetadata: in.CustomMetadata})
	case "predict_shadow":
		return serving.PredictShadow(text(in.PredictionID), in.CloudImage, in.Monitor == nil || *in.Monitor)
	case "monitor":
		file, err := image()
		if err != nil {
			return nil, err
		}
		payload, err := monitoring.BuildPayload(file, in.RawPredictions, number(in.Latency), in.Tags)
		if err != nil {
			return nil, err
		}
		if in.ContentType != nil {
			payload.ContentType = *in.ContentType
		}
		payload.Source, payload.Timestamp, payload.UploadDir, payload.Sample = in.Source, in.Timestamp, in.UploadDir, in.Sample
		payload.Metadata, payload.CustomMetadata, payload.CustomMetrics = in.Metadata, in.CustomMetadata, in.CustomMetrics
		payload.ShadowRawPredictions, payload.ShadowLatency = in.ShadowRawPredictions, in.ShadowLatency
		return monitoring.Monitor(payload)
	case "shadow":
		return monitoring.Shadow(text(in.PredictionID), in.ShadowRawPredictions, number(in.ShadowLatency))
	case "deployment_info":
		return monitoring.DeploymentInfo()
	case "stats":
		query := url.Values{}
		for key, value := range map[string]*float64{"from_timestamp": in.FromTimestamp, "to_timestamp": in.ToTimestamp, "since": in.Since} {
			if value != nil {
				query.Set(key, fmt.Sprint(*value))
			}
		}
		if in.ModelID != nil {
			query.Set("model_id", *in.ModelID)
		}
		for key, values := range map[string][]string{"includes": in.Includes, "excludes": in.Excludes, "tags": in.Tags} {
			if len(values) > 0 {
				query[key] = values
			}
		}
		return monitoring.Stats(text(in.Service), query)
	}
	return nil, &RequestInvalid{Message: fmt.Sprintf("unknown operation %q", operation)}
}

// describe is a failed call's error in conformance-outcome.json's shape.
func describe(err error) map[string]any {
	shaped := map[string]any{"kind": "invalid_request", "status": nil, "code": nil,
		"problems": []Problem{}, "message": err.Error()}
	var invalid *RequestInvalid
	var transport *TransportError
	var service *ServiceError
	switch {
	case errors.As(err, &service):
		shaped["kind"], shaped["status"] = "service", service.Status
		if service.AlreadyProcessed() {
			shaped["kind"] = "already_processed"
		}
		if service.Problems != nil {
			shaped["problems"] = service.Problems
		}
		if code := service.Code(); code != "" {
			shaped["code"] = code
		}
	case errors.As(err, &transport):
		shaped["kind"] = "transport"
		if transport.Timeout {
			shaped["kind"] = "timeout"
		}
	case errors.As(err, &invalid):
		if invalid.Problems != nil {
			shaped["problems"] = invalid.Problems
		}
		if code := firstCode(invalid.Problems); code != "" {
			shaped["code"] = code
		}
	}
	return shaped
}

// admin calls the mock's admin API and decodes its JSON answer into into.
func admin(t *testing.T, base, method, route string, body any, into any) {
	t.Helper()
	var payload io.Reader
	if method == "POST" { // a JSON body, {} when there is none
		data := []byte("{}")
		if body != nil {
			data, _ = json.Marshal(body)
		}
		payload = bytes.NewReader(data)
	}
	request, _ := http.NewRequest(method, base+route, payload)
	if payload != nil {
		request.Header.Set("Content-Type", "application/json")
	}
	if token := os.Getenv("PICSELLIA_ADMIN_TOKEN"); token != "" { // a mock served with --admin-token
		request.Header.Set("Authorization", "Bearer "+token)
	}
	answer, err := (&http.Client{Timeout: 60 * time.Second}).Do(request)
	if err != nil {
		t.Fatalf("%s %s: %v", method, route, err)
	}
	defer answer.Body.Close()
	text, _ := io.ReadAll(answer.Body)
	if answer.StatusCode == 401 {
		t.Fatalf("%s %s: 401: the mock requires an admin token: set PICSELLIA_ADMIN_TOKEN", method, route)
	}
	if answer.StatusCode != 200 {
		t.Fatalf("%s %s: %d %s", method, route, answer.StatusCode, text)
	}
	if err := json.Unmarshal(text, into); err != nil {
		t.Fatalf("%s %s: not JSON: %v", method, route, err)
	}
}

// mockURL is $PICSELLIA_MOCK_URL, or the URL of a mock started for this test.
func mockURL(t *testing.T) string {
	if url := os.Getenv("PICSELLIA_MOCK_URL"); url != "" {
		return strings.TrimRight(url, "/")
	}
	binary, err := exec.LookPath("picsellia-mock")
	if err != nil {
		t.Fatal("set PICSELLIA_MOCK_URL to a running mock, or put picsellia-mock on PATH (pip install the kit)")
	}
	server := exec.Command(binary, "serve", "--port", "0", "--db", filepath.Join(t.TempDir(), "mock.sqlite3"))
	stdout, _ := server.StdoutPipe()
	server.Stderr = os.Stderr
	if err := server.Start(); err != nil {
		t.Fatalf("cannot start %s: %v", binary, err)
	}
	t.Cleanup(func() { _ = server.Process.Kill(); _ = server.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "http") {
		t.Fatalf("picsellia-mock serve printed no URL (%q, %v)", line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return strings.TrimRight(strings.Fields(line)[0], "/")
}

func TestCertification(t *testing.T) {
	base := mockURL(t)
	var listed struct {
		Scenarios []struct{ Name, Level string } `json:"scenarios"`
	}
	admin(t, base, "GET", "/__admin/conformance/scenarios", nil, &listed)
	if len(listed.Scenarios) == 0 {
		t.Fatal("the mock lists no scenario")
	}
	started, failed := time.Now(), 0
	for _, scenario := range listed.Scenarios {
		scenario := scenario
		t.Run(scenario.Name, func(t *testing.T) { // one subtest per scenario, as go test -run selects
			route := "/__admin/conformance/scenarios/" + url.PathEscape(scenario.Name)
			var a action
			admin(t, base, "POST", route+"/start", nil, &a)
			outcome := perform(a)
			var verdict struct {
				Passed   bool     `json:"passed"`
				Failures []string `json:"failures"`
			}
			admin(t, base, "POST", route+"/grade", map[string]any{"outcome": outcome}, &verdict)
			if !verdict.Passed {
				failed++
				t.Errorf("%s (%s) failed:\n  %s", scenario.Name, scenario.Level, strings.Join(verdict.Failures, "\n  "))
			}
		})
	}
	t.Logf("%d scenarios, %d passed, %d failed, in %.1f s", len(listed.Scenarios),
		len(listed.Scenarios)-failed, failed, time.Since(started).Seconds())
}
