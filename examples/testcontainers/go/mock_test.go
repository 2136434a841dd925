// go test: the Picsellia mock's image, started by testcontainers-go, answers a client's login,
// predict (multipart), monitoring post and journal read. PICSELLIA_MOCK_IMAGE names the image
// (default picsellia-mock:latest, built from the Dockerfile at the repository's root).
package mock_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// A 1 x 1 PNG.
const pngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

type deployment struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	APITokens []string `json:"api_tokens"`
}

type client struct {
	t    *testing.T
	base string
}

// call sends a request and decodes the JSON answer into out, failing unless the status is want.
func (c client) call(method, path, contentType, bearer string, body []byte, want int, out any) {
	c.t.Helper()
	request, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		request.Header.Set("Content-Type", contentType)
	}
	if bearer != "" {
		request.Header.Set("Authorization", "Bearer "+bearer)
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		c.t.Fatal(err)
	}
	defer response.Body.Close()
	data, _ := io.ReadAll(response.Body)
	if response.StatusCode != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, response.StatusCode, want, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		c.t.Fatalf("%s %s: %v: %s", method, path, err, data)
	}
}

func (c client) login(path string, d deployment) string {
	c.t.Helper()
	body, _ := json.Marshal(map[string]string{"api_token": d.APITokens[0], "deployment_id": d.ID})
	var answer struct {
		JWT string `json:"jwt"`
	}
	c.call("POST", path, "", "", body, 200, &answer)
	if answer.JWT == "" {
		c.t.Fatalf("%s: no jwt", path)
	}
	return answer.JWT
}

func TestLoginPredictMonitorThenTheJournal(t *testing.T) {
	image := os.Getenv("PICSELLIA_MOCK_IMAGE")
	if image == "" {
		image = "picsellia-mock:latest"
	}
	ctx := context.Background()
	container, err := testcontainers.Run(ctx, image,
		testcontainers.WithExposedPorts("8080/tcp"),
		testcontainers.WithWaitStrategy(wait.ForHTTP("/__admin/health").WithPort("8080/tcp").
			WithStartupTimeout(30*time.Second)),
	)
	testcontainers.CleanupContainer(t, container)
	if err != nil {
		t.Fatal(err)
	}
	base, err := container.PortEndpoint(ctx, "8080/tcp", "http")
	if err != nil {
		t.Fatal(err)
	}
	c := client{t, base}

	var listed struct {
		Deployments []deployment `json:"deployments"`
	}
	c.call("GET", "/__admin/deployments", "", "", nil, 200, &listed)
	var d deployment
	for _, candidate := range listed.Deployments {
		if candidate.Type == "OBJECT_DETECTION" {
			d = candidate
			break
		}
	}
	if d.ID == "" {
		t.Fatalf("no OBJECT_DETECTION deployment in %+v", listed)
	}

	png, _ := base64.StdEncoding.DecodeString(pngBase64)
	var form bytes.Buffer
	parts := multipart.NewWriter(&form)
	parts.WriteField("tags", "testcontainers")
	media, _ := parts.CreateFormFile("media", "frame.png")
	media.Write(png)
	parts.Close()
	var predicted struct {
		RawPredictions map[string]any `json:"raw_predictions"`
	}
	jwt := c.login("/api/login", d)
	c.call("POST", "/api/deployments/"+d.ID+"/predict", parts.FormDataContentType(), jwt,
		form.Bytes(), 200, &predicted)
	if _, ok := predicted.RawPredictions["detection_boxes"]; !ok {
		t.Fatalf("no detection_boxes in %+v", predicted)
	}

	payload, _ := json.Marshal(map[string]any{
		"filename": "frame.png", "content_type": "image/png", "width": 1, "height": 1,
		"image": pngBase64, "raw_predictions": predicted.RawPredictions, "latency": 0.05,
		"tags": []string{},
	})
	var monitored struct {
		ID string `json:"id"`
	}
	jwt = c.login("/api/auth/login", d)
	c.call("POST", "/api/deployment/"+d.ID+"/predictions", "", jwt, payload, 201, &monitored)
	if monitored.ID == "" {
		t.Fatal("the monitoring answer has no id")
	}

	var journal struct {
		Entries []struct {
			Service, Method, Path string
			Status                int
		} `json:"entries"`
	}
	c.call("GET", "/__admin/requests?order=oldest", "", "", nil, 200, &journal)
	var seen []string
	for _, e := range journal.Entries {
		if e.Service != "admin" {
			path := strings.ReplaceAll(e.Path, d.ID, "{id}")
			seen = append(seen, fmt.Sprintf("%s %s %d", e.Method, path, e.Status))
		}
	}
	want := []string{
		"POST /api/login 200",
		"POST /api/deployments/{id}/predict 200",
		"POST /api/auth/login 200",
		"POST /api/deployment/{id}/predictions 201",
	}
	if !reflect.DeepEqual(seen, want) {
		t.Fatalf("journal: %q, want %q", seen, want)
	}
}
