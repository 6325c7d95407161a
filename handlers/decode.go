package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// maxJSONDepth bounds the nesting of request bodies; no resource nests deeper
// than a few levels.
const maxJSONDepth = 32

// readJSON checks that the request carries JSON and decodes its body strictly
// into v (see decodeJSON).
func readJSON(c *fiber.Ctx, v any) error {
	if err := requireMediaType(c, "application/json"); err != nil {
		return err
	}
	return decodeJSON(c.Body(), v)
}

// requireMediaType answers 415 unless the request's Content-Type is want,
// with no charset other than UTF-8.
func requireMediaType(c *fiber.Ctx, want ...string) error {
	mt, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	ok := err == nil
	if ok {
		ok = false
		for _, w := range want {
			ok = ok || mt == w
		}
	}
	if cs, has := params["charset"]; ok && has && !strings.EqualFold(cs, "utf-8") {
		ok = false
	}
	if !ok {
		return errUnsupportedMedia(strings.Join(want, " or ") + " (UTF-8)")
	}
	return nil
}

// decodeJSON decodes a request body into v, which must point to a struct. It
// is strict: the body must be one JSON object in UTF-8 with nothing after it;
// every key must be a field of the target, spelt exactly; no key may repeat,
// start with "$" or contain "." (they mean something to document stores and
// have no place in our resources); and every value must have the field's
// type. Errors are 400s naming the field by its JSON path.
func decodeJSON(body []byte, v any) error {
	if !utf8.Valid(body) {
		return badRequest("", fieldSyntax, "the body is not valid UTF-8")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("", app.FieldRequired, "the body is empty; send a JSON object")
	}
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		panic("handlers: decodeJSON needs a pointer")
	}
	// The first walk reads the raw tokens only: syntax, one value, and the
	// keys wherever they are, whatever the types around them. The second
	// walks beside the target type: unknown fields and wrong types.
	if err := walk(body, nil); err != nil {
		return err
	}
	if err := walk(body, t.Elem()); err != nil {
		return err
	}
	// The standard decoder fills v and still refuses unknown fields should
	// the walks have missed one.
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	return nil
}

// walk reads a body that must be one JSON object, beside the type it
// decodes into (nil: check the keys only).
func walk(body []byte, t reflect.Type) error {
	w := walker{dec: json.NewDecoder(bytes.NewReader(body))}
	w.dec.UseNumber()
	tok, err := w.dec.Token()
	if err != nil {
		return syntaxError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return badRequest("", fieldType, "the body must be a JSON object")
	}
	if err := w.object(t, "", 1); err != nil {
		return err
	}
	if _, err := w.dec.Token(); err != io.EOF {
		return badRequest("", fieldSyntax, "unexpected data after the JSON object")
	}
	return nil
}

// walker reads the token stream of a body alongside the Go type it is meant for.
type walker struct {
	dec *json.Decoder
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// object walks the members of an object whose '{' has been read; t is the
// type it decodes into (nil when unknown, e.g. under an interface).
func (w *walker) object(t reflect.Type, path string, depth int) error {
	if depth > maxJSONDepth {
		return badRequest(path, fieldSyntax, "nested more than %d levels deep", maxJSONDepth)
	}
	t = deref(t)
	var fields map[string]reflect.Type
	var elem reflect.Type
	switch {
	case t == nil || t.Kind() == reflect.Interface:
		t = nil
	case t.Kind() == reflect.Struct && t != timeType:
		fields = structFields(t)
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		elem = t.Elem()
	default:
		return badRequest(path, fieldType, "must be %s, not an object", typeName(t))
	}
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return syntaxError(err)
		}
		key, ok := tok.(string)
		if !ok {
			return badRequest(path, fieldSyntax, "malformed object")
		}
		kp := joinPath(path, key)
		switch {
		case strings.HasPrefix(key, "$") || strings.Contains(key, "."):
			return badRequest(kp, fieldReservedKey, "keys may not start with $ or contain a dot")
		case seen[key]:
			return badRequest(kp, fieldDuplicate, "is given twice")
		}
		seen[key] = true
		var ft reflect.Type
		switch {
		case fields != nil:
			var known bool
			if ft, known = fields[key]; !known {
				for name := range fields {
					if strings.EqualFold(name, key) {
						return badRequest(kp, fieldUnknown, "is not a field here; did you mean %q?", name)
					}
				}
				return badRequest(kp, fieldUnknown, "is not a field here")
			}
		case elem != nil:
			ft = elem
		}
		if err := w.value(ft, kp, depth); err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil { // the closing '}'
		return syntaxError(err)
	}
	return nil
}

// value walks one value decoding into t (nil when unknown).
func (w *walker) value(t reflect.Type, path string, depth int) error {
	tok, err := w.dec.Token()
	if err != nil {
		return syntaxError(err)
	}
	t = deref(t)
	if t != nil && t.Kind() == reflect.Interface {
		t = nil
	}
	wrong := func(got string) error {
		return badRequest(path, fieldType, "must be %s, not %s", typeName(t), got)
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch tok {
		case '{':
			return w.object(t, path, depth+1)
		case '[':
			if depth+1 > maxJSONDepth {
				return badRequest(path, fieldSyntax, "nested more than %d levels deep", maxJSONDepth)
			}
			var elem reflect.Type
			if t != nil {
				if k := t.Kind(); k != reflect.Slice && k != reflect.Array {
					return wrong("an array")
				}
				elem = t.Elem()
			}
			for i := 0; w.dec.More(); i++ {
				if err := w.value(elem, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
					return err
				}
			}
			if _, err := w.dec.Token(); err != nil { // the closing ']'
				return syntaxError(err)
			}
			return nil
		}
		return badRequest(path, fieldSyntax, "malformed JSON")
	case nil:
		return nil // null leaves the field at its zero value
	case bool:
		if t != nil && t.Kind() != reflect.Bool {
			return wrong("true or false")
		}
	case string:
		switch {
		case t == nil:
		case t == timeType:
			if _, err := time.Parse(time.RFC3339Nano, tok); err != nil {
				return badRequest(path, app.FieldFormat, "must be a time in RFC 3339 form")
			}
		case t.Kind() != reflect.String:
			return wrong("a string")
		}
	case json.Number:
		if t == nil {
			return nil
		}
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if _, err := strconv.ParseInt(string(tok), 10, t.Bits()); err != nil {
				return badRequest(path, fieldType, "must be a whole number within range, not %s", truncate(string(tok), 30))
			}
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if _, err := strconv.ParseUint(string(tok), 10, t.Bits()); err != nil {
				return badRequest(path, fieldType, "must be a non-negative whole number within range, not %s", truncate(string(tok), 30))
			}
		case reflect.Float32, reflect.Float64:
			if _, err := strconv.ParseFloat(string(tok), t.Bits()); err != nil {
				return badRequest(path, fieldType, "must be a number within range, not %s", truncate(string(tok), 30))
			}
		default:
			return wrong("a number")
		}
	}
	return nil
}

// deref follows pointers to the type a value decodes into. A type with its
// own UnmarshalJSON other than time.Time is opaque to the walk (nil).
func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && t != timeType && (t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType)) {
		return nil
	}
	return t
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// typeName says in JSON terms what a Go type accepts.
func typeName(t reflect.Type) string {
	t = deref(t)
	if t == nil {
		return "a value"
	}
	if t == timeType {
		return "a time string"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a value"
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// structFields returns the JSON names of a struct's decodable fields with
// their types, following encoding/json's rules for tags and embedding.
func structFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	collectFields(t, m, 0)
	fieldCache.Store(t, m)
	return m
}

func collectFields(t reflect.Type, m map[string]reflect.Type, depth int) {
	if depth > 4 {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if et := deref(f.Type); et.Kind() == reflect.Struct {
				collectFields(et, m, depth+1)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := m[name]; !dup {
			m[name] = f.Type
		}
	}
}

// syntaxError reports a JSON syntax error, with its byte offset when known.
func syntaxError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return badRequest("", fieldSyntax, "malformed JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return badRequest("", fieldSyntax, "malformed JSON: the body ends too early")
	}
	return badRequest("", fieldSyntax, "malformed JSON")
}

// decodeError translates the standard decoder's errors; the walk catches
// nearly everything first.
func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return badRequest(te.Field, fieldType, "must be %s, not %s", typeName(te.Type), te.Value)
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		name, _ := strconv.Unquote(strings.TrimPrefix(msg, "json: unknown field "))
		return badRequest(name, fieldUnknown, "is not a field here")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return syntaxError(err)
	}
	return badRequest("", fieldSyntax, "cannot decode the body: %s", truncate(err.Error(), 200))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return fmt.Sprintf("%s…", strings.ToValidUTF8(s[:n], ""))
}
