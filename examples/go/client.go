// Package client is a Go port of reference_client/ with the standard library only: one
// Session per service, a ServingClient and a MonitoringClient. See README.md beside this file.
package client

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Image is an image's bytes and the file name sent with them.
type Image struct {
	Data     []byte
	Filename string
}

// PredictOptions are predict's form fields. Monitor and Postprocess are always sent, as the
// text True or False: nil Monitor is True, nil Postprocess is False.
type PredictOptions struct {
	Tags                     []string
	Source, UploadDir        *string
	Monitor, Postprocess     *bool
	Metadata, CustomMetadata map[string]any // sent as JSON text when not empty
	SingularRoute            bool           // the vendor guide's /api/deployment/{id}/predict
}

// ServingClient: predictions for one deployment.
type ServingClient struct {
	Session      *Session
	deploymentID string
}

func NewServingClient(host, deploymentID, apiToken string, options Options) *ServingClient {
	return &ServingClient{NewSession("serving", host, deploymentID, apiToken, options), deploymentID}
}

func pythonBool(value *bool, otherwise bool) string {
	if (value == nil && otherwise) || (value != nil && *value) {
		return "True"
	}
	return "False"
}

// Predict: POST /api/deployments/{id}/predict (predict-form.json) -> predict-response.json.
func (c *ServingClient) Predict(image Image, o PredictOptions) (any, error) {
	if len(image.Data) == 0 {
		return nil, refuse("missing_property", "/media", "an image is required")
	}
	var fields [][2]string
	for _, tag := range o.Tags {
		fields = append(fields, [2]string{"tags", tag})
	}
	fields = append(fields, [2]string{"monitor", pythonBool(o.Monitor, true)},
		[2]string{"postprocess", pythonBool(o.Postprocess, false)})
	for _, field := range []struct {
		name  string
		value *string
	}{{"source", o.Source}, {"upload_dir", o.UploadDir}} {
		if field.value != nil {
			fields = append(fields, [2]string{field.name, *field.value})
		}
	}
	for _, field := range []struct {
		name  string
		value map[string]any
	}{{"metadata", o.Metadata}, {"custom_metadata", o.CustomMetadata}} {
		if len(field.value) > 0 {
			text, _ := json.Marshal(field.value)
			fields = append(fields, [2]string{field.name, string(text)})
		}
	}
	body, contentType := multipart(fields, "media", image)
	route := "/api/deployments/"
	if o.SingularRoute {
		route = "/api/deployment/"
	}
	req := request{method: "POST", route: route + c.deploymentID + "/predict", body: body, contentType: contentType}
	return c.Session.call(req, 200)
}

// multipart writes the form as the SDK does: the text parts, then the file part with its
// filename and no part Content-Type (mime/multipart's CreateFormFile would add one).
func multipart(fields [][2]string, fileField string, image Image) ([]byte, string) {
	random := make([]byte, 16)
	_, _ = rand.Read(random)
	boundary := hex.EncodeToString(random)
	escape := strings.NewReplacer(`"`, "%22", "\r", "%0D", "\n", "%0A").Replace
	var b bytes.Buffer
	for _, field := range fields {
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", boundary, field[0], field[1])
	}
	fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n\r\n", boundary, fileField, escape(image.Filename))
	b.Write(image.Data)
	fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	return b.Bytes(), "multipart/form-data; boundary=" + boundary
}

// CloudPredictOptions are the v2 predict's optional keys; tags, monitor and postprocess are
// always sent ([] , true, false when not given).
type CloudPredictOptions struct {
	Tags                     []string
	Source                   *string
	Monitor, Postprocess     *bool
	Metadata, CustomMetadata map[string]any // sent when not empty
}

// PredictCloudImage: POST /api/v2/deployments/{id}/predict (predict-v2-request.json).
func (c *ServingClient) PredictCloudImage(cloudImage any, o CloudPredictOptions) (any, error) {
	body := map[string]any{"tags": nonNil(o.Tags), "monitor": o.Monitor == nil || *o.Monitor,
		"postprocess": o.Postprocess != nil && *o.Postprocess, "cloud_image": cloudImage}
	if o.Source != nil {
		body["source"] = *o.Source
	}
	if len(o.Metadata) > 0 {
		body["metadata"] = o.Metadata
	}
	if len(o.CustomMetadata) > 0 {
		body["custom_metadata"] = o.CustomMetadata
	}
	return c.Session.call(jsonRequest("POST", "/api/v2/deployments/"+c.deploymentID+"/predict", body), 200)
}

// PredictShadow: POST /api/v2/deployments/{id}/predict/shadow (predict-shadow-v2-request.json).
func (c *ServingClient) PredictShadow(predictionID string, cloudImage any, monitor bool) (any, error) {
	body := map[string]any{"prediction_id": predictionID, "monitor": monitor, "cloud_image": cloudImage}
	return c.Session.call(jsonRequest("POST", "/api/v2/deployments/"+c.deploymentID+"/predict/shadow", body), 200)
}

// nonNil: a nil slice marshals as null; the contract wants [].
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// jsonRequest: the body as bytes and no Content-Type, as the SDK sends JSON.
func jsonRequest(method, route string, body any) request {
	data, err := json.Marshal(body)
	if err != nil {
		panic(err) // only JSON values reach here
	}
	return request{method: method, route: route, body: data}
}

// MonitorPayload is monitoring-prediction-request.json. Lists the contract wants sent even when
// empty (tags, and those inside RawPredictions) have no omitempty; optional keys are pointers
// or maps, left out when nil.
type MonitorPayload struct {
	Filename             string         `json:"filename"`
	ContentType          string         `json:"content_type"`
	Height               int            `json:"height"`
	Width                int            `json:"width"`
	Image                string         `json:"image"`
	RawPredictions       any            `json:"raw_predictions"` // sent as given
	Latency              float64        `json:"latency"`
	Tags                 []string       `json:"tags"` // never omitempty, never nil
	Source               *string        `json:"source,omitempty"`
	Timestamp            *float64       `json:"timestamp,omitempty"`
	Metadata             map[string]any `json:"metadata,omitempty"`
	CustomMetadata       map[string]any `json:"custom_metadata,omitempty"`
	CustomMetrics        map[string]any `json:"custom_metrics,omitempty"`
	UploadDir            *string        `json:"upload_dir,omitempty"`
	Sample               *bool          `json:"sample,omitempty"`
	ShadowRawPredictions any            `json:"shadow_raw_predictions,omitempty"`
	ShadowLatency        *float64       `json:"shadow_latency,omitempty"`
}

// MonitoringClient: monitoring for one deployment.
type MonitoringClient struct {
	Session      *Session
	deploymentID string
}

func NewMonitoringClient(host, deploymentID, apiToken string, options Options) *MonitoringClient {
	return &MonitoringClient{NewSession("monitoring", host, deploymentID, apiToken, options), deploymentID}
}

// BuildPayload reads the content type from the magic bytes and the size from the header, and
// encodes the image as padded standard base64; tags is [] when nil. Set other fields after.
func (c *MonitoringClient) BuildPayload(image Image, rawPredictions any, latency float64, tags []string) (*MonitorPayload, error) {
	contentType := SniffContentType(image.Data)
	width, height, ok := ImageSize(image.Data)
	if contentType == "" || !ok {
		return nil, refuse("image_not_png_or_jpeg", "/image", "the file is not a readable PNG or JPEG")
	}
	return &MonitorPayload{Filename: image.Filename, ContentType: contentType, Height: height,
		Width: width, Image: base64.StdEncoding.EncodeToString(image.Data),
		RawPredictions: rawPredictions, Latency: latency, Tags: nonNil(tags)}, nil
}

// Monitor: POST /api/deployment/{id}/predictions -> 201; a 409 is a ServiceError whose
// AlreadyProcessed() is true.
func (c *MonitoringClient) Monitor(payload *MonitorPayload) (any, error) {
	payload.Tags = nonNil(payload.Tags)
	return c.Session.call(jsonRequest("POST", "/api/deployment/"+c.deploymentID+"/predictions", payload), 201)
}

// Shadow: POST /api/prediction/{prediction_id}/shadow (shadow-request.json) -> 201.
func (c *MonitoringClient) Shadow(predictionID string, shadowRawPredictions any, shadowLatency float64) (any, error) {
	if predictionID == "" {
		return nil, refuse("missing_property", "/prediction_id", "a prediction id is required")
	}
	body := map[string]any{"shadow_raw_predictions": shadowRawPredictions, "shadow_latency": shadowLatency}
	return c.Session.call(jsonRequest("POST", "/api/prediction/"+url.PathEscape(predictionID)+"/shadow", body), 201)
}

// DeploymentInfo: GET /api/deployment/{id} -> deployment-info-response.json.
func (c *MonitoringClient) DeploymentInfo() (any, error) {
	return c.Session.call(request{method: "GET", route: "/api/deployment/" + c.deploymentID}, 200)
}

// Stats: GET /api/deployment/{id}/stats (stats-query.json). query holds the optional
// parameters; lists go as repeated parameters (tags=a&tags=b).
func (c *MonitoringClient) Stats(service string, query url.Values) (any, error) {
	q := url.Values{"service": {service}}
	for key, values := range query {
		q[key] = values
	}
	return c.Session.call(request{method: "GET", route: "/api/deployment/" + c.deploymentID + "/stats", query: q}, 200)
}
