package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// Problem is an RFC 9457 problem detail, the body of every error response
// (media type application/problem+json).
type Problem struct {
	Type      string           `json:"type"`
	Title     string           `json:"title"`
	Status    int              `json:"status"`
	Detail    string           `json:"detail,omitempty"`
	Instance  string           `json:"instance,omitempty"`
	RequestID string           `json:"requestId,omitempty"`
	Errors    []app.FieldError `json:"errors"`
	// Allowed lists what would have been legal, e.g. the status transitions
	// open to a listing after a 409; an empty list (a final state) is sent
	// as [], and only errors that say nothing of it leave it out.
	Allowed []string `json:"allowed,omitzero"`
}

// ProblemTypePrefix starts every problem type URI; the error code follows.
const ProblemTypePrefix = "urn:rongtong:problem:"

// Codes of errors the HTTP layer itself raises, beside the app codes.
const (
	codeMalformed        = "malformed"              // 400: the request cannot be decoded
	codeUnsupportedMedia = "unsupported_media_type" // 415
	codeMethodNotAllowed = "method_not_allowed"     // 405
)

// Field error codes of request decoding, beside app's.
const (
	fieldSyntax      = "syntax"        // not well-formed JSON
	fieldType        = "wrong_type"    // a value of the wrong JSON type
	fieldUnknown     = "unknown_field" // a key the resource does not have
	fieldDuplicate   = "duplicate_key" // a key given twice
	fieldReservedKey = "reserved_key"  // a key starting with $ or containing a dot
)

// codeStatus is the one table from error code to HTTP status. EINVALID is
// 422 (a well-formed request failing validation) unless the error is marked
// malformed, which makes it 400.
var codeStatus = map[string]int{
	app.EINVALID:         http.StatusUnprocessableEntity,
	codeMalformed:        http.StatusBadRequest,
	app.EUNAUTHORIZED:    http.StatusUnauthorized,
	app.EFORBIDDEN:       http.StatusForbidden,
	app.ENOTFOUND:        http.StatusNotFound,
	codeMethodNotAllowed: http.StatusMethodNotAllowed,
	app.ECONFLICT:        http.StatusConflict,
	app.ETOOLARGE:        http.StatusRequestEntityTooLarge,
	codeUnsupportedMedia: http.StatusUnsupportedMediaType,
	app.ERATELIMIT:       http.StatusTooManyRequests,
	app.EINTERNAL:        http.StatusInternalServerError,
	app.EUNAVAILABLE:     http.StatusServiceUnavailable,
}

// statusCode is the reverse of codeStatus, for errors raised by Fiber itself
// (unknown route, wrong method, body over the server limit).
var statusCode = map[int]string{
	http.StatusBadRequest:                  codeMalformed,
	http.StatusUnauthorized:                app.EUNAUTHORIZED,
	http.StatusForbidden:                   app.EFORBIDDEN,
	http.StatusNotFound:                    app.ENOTFOUND,
	http.StatusMethodNotAllowed:            codeMethodNotAllowed,
	http.StatusConflict:                    app.ECONFLICT,
	http.StatusRequestEntityTooLarge:       app.ETOOLARGE,
	http.StatusUnsupportedMediaType:        codeUnsupportedMedia,
	http.StatusUnprocessableEntity:         app.EINVALID,
	http.StatusTooManyRequests:             app.ERATELIMIT,
	http.StatusServiceUnavailable:          app.EUNAVAILABLE,
	http.StatusRequestHeaderFieldsTooLarge: codeMalformed,
	http.StatusRequestTimeout:              codeMalformed,
}

// malformed marks an EINVALID error as one of decoding rather than
// validation: the request body or query could not be read as the resource.
type malformed struct{ err *app.Error }

func (m *malformed) Error() string { return m.err.Error() }
func (m *malformed) Unwrap() error { return m.err }

// badRequest returns a 400 error about one field of the request.
func badRequest(field, code, format string, args ...any) error {
	return &malformed{app.Invalid(field, code, format, args...)}
}

// errUnsupportedMedia is the 415 answer.
func errUnsupportedMedia(want string) error {
	return &app.Error{Code: codeUnsupportedMedia, Message: "the request body must be " + want}
}

// problemFor returns the problem detail for err and whether the error is
// internal (to be logged, and shown only as "internal error").
func problemFor(err error) (p Problem, internal bool) {
	var (
		ae *app.Error
		fe *fiber.Error
		me *malformed
	)
	code := app.EINTERNAL
	detail := "internal error"
	switch {
	case errors.As(err, &me):
		code, detail, ae = codeMalformed, me.err.Message, me.err
	case errors.As(err, &ae):
		code, detail = ae.Code, ae.Message
		if _, ok := codeStatus[code]; !ok {
			code, detail, ae = app.EINTERNAL, "internal error", nil
		}
	case errors.As(err, &fe):
		if c, ok := statusCode[fe.Code]; ok {
			code = c
			detail = fe.Message
			if fe.Code == http.StatusBadRequest || fe.Code == http.StatusRequestTimeout || fe.Code == http.StatusRequestHeaderFieldsTooLarge {
				detail = http.StatusText(fe.Code)
			}
		}
	}
	status := codeStatus[code]
	if code == app.EINTERNAL {
		detail = "internal error"
	}
	p = Problem{
		Type:   ProblemTypePrefix + code,
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Errors: []app.FieldError{},
	}
	if ae != nil {
		if len(ae.Fields) > 0 {
			p.Errors = ae.Fields
		}
		p.Allowed = ae.Allowed
	}
	return p, status >= 500 && code != app.EUNAVAILABLE
}

// handleError is the one Fiber ErrorHandler: it writes err as problem+json,
// logging internal errors with the request ID.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	p, internal := problemFor(err)
	rid := requestIDOf(c)
	p.RequestID = rid
	p.Instance = c.Path()
	if internal {
		s.log.ErrorContext(c.UserContext(), "internal error", "requestId", rid,
			"method", c.Method(), "path", c.Path(), "err", err.Error())
	}
	var ae *app.Error
	if errors.As(err, &ae) && ae.Code == app.ERATELIMIT && ae.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ae.RetryAfter))
	}
	if p.Status == http.StatusUnauthorized {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="rongtong"`)
	}
	body, merr := json.Marshal(p)
	if merr != nil {
		return merr
	}
	c.Response().ResetBody()
	c.Set(fiber.HeaderContentType, "application/problem+json")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Response().Header.Del(fiber.HeaderLocation)
	c.Response().Header.Del(fiber.HeaderContentDisposition)
	return c.Status(p.Status).Send(body)
}

// statusOf returns the HTTP status an error is answered with.
func statusOf(err error) int {
	p, _ := problemFor(err)
	return p.Status
}
