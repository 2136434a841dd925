package client

import (
	"encoding/json"
	"fmt"
)

// The error tree, as Go types (errors.As picks one):
//
//	*RequestInvalid   the client refused to send (no image, not a PNG or JPEG, ...)
//	*TransportError   no answer: the connection failed, or Timeout is true
//	*ServiceError     the service answered an error: Status, Code(), Message, Problems;
//	                  AlreadyProcessed() is true for a 409 (this prediction was stored before)

// Problem is one entry of an error answer's "problems" (problem.json), kept as sent.
type Problem = map[string]any

// RequestInvalid: the client refused to send.
type RequestInvalid struct {
	Message  string
	Problems []Problem
}

func (e *RequestInvalid) Error() string { return e.Message }

// TransportError: no answer from the service.
type TransportError struct {
	Message string
	Timeout bool
}

func (e *TransportError) Error() string { return e.Message }

// ServiceError: the service answered a status the call does not expect.
type ServiceError struct {
	Status   int
	Message  string
	Problems []Problem
}

func (e *ServiceError) Error() string { return fmt.Sprintf("%d: %s", e.Status, e.Message) }

// AlreadyProcessed is true for a 409: the prediction (or shadow) was already stored.
func (e *ServiceError) AlreadyProcessed() bool { return e.Status == 409 }

// Code is the first problem's code, or "" when the answer listed none.
func (e *ServiceError) Code() string { return firstCode(e.Problems) }

func firstCode(problems []Problem) string {
	if len(problems) > 0 {
		if code, ok := problems[0]["code"].(string); ok {
			return code
		}
	}
	return ""
}

// refuse is the RequestInvalid for one problem, shaped as the services' problems.
func refuse(code, pointer, message string) *RequestInvalid {
	problem := Problem{"code": code, "pointer": pointer, "message": message, "severity": "error"}
	return &RequestInvalid{Message: message, Problems: []Problem{problem}}
}

// errorFrom is the error for a non-success answer, with the server's message and problems.
func errorFrom(r *response, prefix string) *ServiceError {
	message := string(r.body)
	if len(message) > 500 {
		message = message[:500]
	}
	var body struct {
		Message  string    `json:"message"`
		Detail   string    `json:"detail"`
		Problems []Problem `json:"problems"`
	}
	if json.Unmarshal(r.body, &body) == nil {
		if body.Message != "" {
			message = body.Message
		} else if body.Detail != "" {
			message = body.Detail
		}
	}
	if message == "" {
		message = fmt.Sprintf("status %d", r.status)
	}
	return &ServiceError{Status: r.status, Message: prefix + message, Problems: body.Problems}
}
