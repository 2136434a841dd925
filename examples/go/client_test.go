package client

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// A 1x1 PNG.
var onePixel, _ = base64.StdEncoding.DecodeString(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

func TestEmptyListsAreSentAsEmptyLists(t *testing.T) {
	raw := map[string]any{"detection_classes": []any{}, "detection_scores": []any{}, "detection_boxes": []any{}}
	payload, err := (&MonitoringClient{}).BuildPayload(Image{Data: onePixel, Filename: "p.png"}, raw, 0.1, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(payload)
	var sent map[string]any
	_ = json.Unmarshal(data, &sent)
	if tags, ok := sent["tags"].([]any); !ok || len(tags) != 0 {
		t.Errorf("tags = %v, want []", sent["tags"])
	}
	for _, key := range []string{"detection_classes", "detection_scores", "detection_boxes"} {
		if list, ok := sent["raw_predictions"].(map[string]any)[key].([]any); !ok || len(list) != 0 {
			t.Errorf("raw_predictions.%s = %v, want []", key, list)
		}
	}
	for _, key := range []string{"source", "timestamp", "metadata", "sample"} {
		if _, present := sent[key]; present {
			t.Errorf("%s is sent though it was not given", key)
		}
	}
	if sent["content_type"] != "image/png" || sent["width"] != 1.0 || sent["height"] != 1.0 {
		t.Errorf("type and size = %v %v %v", sent["content_type"], sent["width"], sent["height"])
	}
}

func TestTheFilePartComesLastWithoutAContentType(t *testing.T) {
	body, contentType := multipart([][2]string{{"tags", "a"}, {"monitor", "True"}}, "media",
		Image{Data: []byte("bytes"), Filename: `a"b.png`})
	text := string(body)
	boundary := strings.TrimPrefix(contentType, "multipart/form-data; boundary=")
	parts := strings.Split(text, "--"+boundary)
	if len(parts) != 5 || parts[4] != "--\r\n" {
		t.Fatalf("parts = %q", parts)
	}
	if !strings.Contains(parts[3], `name="media"; filename="a%22b.png"`) || strings.Contains(parts[3], "Content-Type") {
		t.Errorf("file part = %q", parts[3])
	}
}
