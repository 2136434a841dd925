package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

var loginRoutes = map[string]string{"serving": "/api/login", "monitoring": "/api/auth/login"}

// Options of a session; the zero value takes the defaults below.
type Options struct {
	Timeout       time.Duration // each HTTP attempt, reading the answer included (60 s)
	MaxRetries    int           // of 429 and 501-599 (5; -1 for none)
	MaxWait       time.Duration // cap of one wait between attempts (30 s)
	RefreshMargin time.Duration // log in again when the token expires within this (60 s)
	HTTPClient    *http.Client  // http.DefaultClient
}

func (o Options) withDefaults() Options {
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 5
	} else if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.MaxWait == 0 {
		o.MaxWait = 30 * time.Second
	}
	if o.RefreshMargin == 0 {
		o.RefreshMargin = time.Minute
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	return o
}

// Session makes authenticated calls to one service ("serving" or "monitoring") for one
// deployment: it logs in on its first call, keeps the token, logs in again when it is about to
// expire, and on a 401 logs in again and replays the request once.
type Session struct {
	service, host, deploymentID, apiToken string
	options                               Options
	jwt                                   string
	expires                               float64 // epoch seconds
}

func NewSession(service, host, deploymentID, apiToken string, options Options) *Session {
	return &Session{service: service, host: strings.TrimRight(host, "/"),
		deploymentID: deploymentID, apiToken: apiToken, options: options.withDefaults()}
}

// request is one HTTP request before it is sent; the body is bytes so it can be replayed.
type request struct {
	method, route, contentType string
	body                       []byte
	query                      url.Values
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// Login posts login-request.json and keeps the token of login-response.json.
func (s *Session) Login() error {
	body, _ := json.Marshal(map[string]string{"api_token": s.apiToken, "deployment_id": s.deploymentID})
	r, err := s.send(request{method: "POST", route: loginRoutes[s.service], body: body}, "")
	if err != nil {
		return err
	}
	if r.status != 200 {
		return errorFrom(r, "")
	}
	var answer struct {
		JWT     string  `json:"jwt"`
		Expires float64 `json:"expires"`
	}
	if err := json.Unmarshal(r.body, &answer); err != nil {
		return &ServiceError{Status: r.status, Message: "the login answer is not JSON: " + err.Error()}
	}
	s.jwt, s.expires = answer.JWT, answer.Expires
	return nil
}

// call sends an authenticated request and decodes its JSON answer when the status is expect.
func (s *Session) call(req request, expect int) (any, error) {
	now := float64(time.Now().UnixNano()) / 1e9
	if s.jwt == "" || now >= s.expires-s.options.RefreshMargin.Seconds() {
		if err := s.Login(); err != nil {
			return nil, err
		}
	}
	r, err := s.send(req, s.jwt)
	if err == nil && r.status == 401 { // the token was refused: log in again, replay once
		if err = s.Login(); err != nil {
			return nil, err
		}
		if r, err = s.send(req, s.jwt); err == nil && r.status == 401 {
			return nil, errorFrom(r, "refused after logging in again: ")
		}
	}
	if err != nil {
		return nil, err
	}
	if r.status != expect {
		return nil, errorFrom(r, "")
	}
	var value any
	if err := json.Unmarshal(r.body, &value); err != nil {
		return nil, &ServiceError{Status: r.status, Message: "the answer is not JSON: " + err.Error()}
	}
	return value, nil
}

func retried(status int) bool { return status == 429 || (status >= 501 && status <= 599) }

// send makes one call, retried on 429 and 501-599 while retries remain.
func (s *Session) send(req request, jwt string) (*response, error) {
	target := s.host + req.route
	if len(req.query) > 0 {
		target += "?" + req.query.Encode()
	}
	for attempt := 0; ; attempt++ {
		r, err := s.attempt(req, target, jwt)
		if err != nil || !retried(r.status) || attempt >= s.options.MaxRetries {
			return r, err
		}
		time.Sleep(s.wait(r, attempt))
	}
}

// attempt is one HTTP exchange. Its context bounds the whole of it, the body read included.
func (s *Session) attempt(req request, target, jwt string) (*response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.options.Timeout)
	defer cancel()
	where := req.method + " " + req.route
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	httpRequest, err := http.NewRequestWithContext(ctx, req.method, target, body)
	if err != nil {
		return nil, &RequestInvalid{Message: where + ": " + err.Error()}
	}
	if jwt != "" {
		httpRequest.Header.Set("Authorization", "Bearer "+jwt)
	}
	if req.contentType != "" { // JSON bodies go without one, as the SDK sends them
		httpRequest.Header.Set("Content-Type", req.contentType)
	}
	answer, err := s.options.HTTPClient.Do(httpRequest)
	var data []byte
	if err == nil {
		data, err = io.ReadAll(answer.Body)
		answer.Body.Close()
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			message := fmt.Sprintf("%s: no answer within %s", where, s.options.Timeout)
			return nil, &TransportError{Message: message, Timeout: true}
		}
		return nil, &TransportError{Message: fmt.Sprintf("%s: cannot connect (%v)", where, err)}
	}
	return &response{status: answer.StatusCode, header: answer.Header, body: data}, nil
}

// wait is Retry-After in seconds when sent, else 0.5, 1, 2, 4, 8 s; capped at MaxWait.
func (s *Session) wait(r *response, attempt int) time.Duration {
	wait := time.Duration(float64(500*time.Millisecond) * float64(int(1)<<attempt))
	if seconds, err := strconv.Atoi(strings.TrimSpace(r.header.Get("Retry-After"))); err == nil && seconds >= 0 {
		wait = time.Duration(seconds) * time.Second
	}
	if wait > s.options.MaxWait {
		wait = s.options.MaxWait
	}
	return wait
}
