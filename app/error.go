package app

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The HTTP layer maps each to one status.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ERATELIMIT    = "rate_limited"
	EUNAVAILABLE  = "unavailable"
	ETOOLARGE     = "too_large"
	EINTERNAL     = "internal"
)

// FieldError says what is wrong with one input field, so a UI can place it.
// Field is a JSON path such as "title" or "capacity.value" or "industries[2]".
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Field error codes.
const (
	FieldRequired = "required"
	FieldTooLong  = "too_long"
	FieldRange    = "out_of_range"
	FieldFormat   = "invalid_format"
	FieldUnknown  = "unknown_value"
	FieldNotAllow = "not_allowed"
	FieldTaken    = "taken"
)

// Error is the one error type of the domain. Message is safe to show to users.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	// RetryAfter is set with ERATELIMIT: seconds until a retry may succeed.
	RetryAfter int
	// Allowed lists what would have been legal, e.g. status transitions on ECONFLICT.
	Allowed []string
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s (%s: %s)", e.Code, e.Message, e.Fields[0].Field, e.Fields[0].Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: that of an *Error in its chain, "" for nil,
// EINTERNAL for anything else.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; anything that is not an
// *Error is "internal error" so no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// Fields collects field errors during validation.
type Fields []FieldError

// Add appends a field error.
func (f *Fields) Add(field, code, format string, args ...any) {
	*f = append(*f, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when no field error was added, else an EINVALID *Error.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid input", Fields: f}
}

// Invalid returns an EINVALID error about one field.
func Invalid(field, code, format string, args ...any) *Error {
	var f Fields
	f.Add(field, code, format, args...)
	return &Error{Code: EINVALID, Message: "invalid input", Fields: f}
}
