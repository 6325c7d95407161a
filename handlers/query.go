package handlers

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// Pagination defaults.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = app.MaxPageLimit
)

// query holds a request's query parameters, read strictly: a parameter the
// route does not know is a 400, as an unknown JSON field is.
type query map[string][]string

func parseQuery(c *fiber.Ctx, known ...string) (query, error) {
	q := query{}
	var unknown string
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) {
		name := string(k)
		if !slices.Contains(known, name) && unknown == "" {
			unknown = name
		}
		q[name] = append(q[name], string(v))
	})
	if unknown != "" {
		return nil, badRequest(unknown, fieldUnknown, "is not a query parameter of this route (known: %s)", strings.Join(known, ", "))
	}
	return q, nil
}

// str returns a parameter given at most once.
func (q query) str(name string) (string, error) {
	vs := q[name]
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return strings.TrimSpace(vs[0]), nil
	}
	return "", badRequest(name, fieldDuplicate, "give it once")
}

// list returns a parameter that may repeat or hold a comma-separated list.
func (q query) list(name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out
}

// boolean returns a true/false parameter, nil when absent.
func (q query) boolean(name string) (*bool, error) {
	v, err := q.str(name)
	if err != nil || v == "" {
		return nil, err
	}
	b, perr := strconv.ParseBool(v)
	if perr != nil {
		return nil, badRequest(name, fieldType, "must be true or false")
	}
	return &b, nil
}

// page reads limit (default 50, at most 200) and cursor.
func (q query) page() (app.Page, error) {
	p := app.Page{Limit: DefaultPageLimit}
	v, err := q.str("limit")
	if err != nil {
		return p, err
	}
	if v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, badRequest("limit", fieldType, "must be a whole number")
		}
		if n < 1 || n > MaxPageLimit {
			return p, app.Invalid("limit", app.FieldRange, "must be between 1 and %d", MaxPageLimit)
		}
		p.Limit = n
	}
	cur, err := q.str("cursor")
	if err != nil {
		return p, err
	}
	if cur != "" {
		if p.After, err = decodeCursor(cur); err != nil {
			return p, err
		}
	}
	return p, nil
}

// encodeCursor makes the opaque cursor that follows the record with this ID.
func encodeCursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

func decodeCursor(s string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !app.ValidID(string(b)) {
		return "", badRequest("cursor", app.FieldFormat, "is not a cursor this API returned")
	}
	return string(b), nil
}

// listPage is the body of every list response.
type listPage[T any] struct {
	Items []T `json:"items"`
	// NextCursor fetches the next page; absent on the last one.
	NextCursor string `json:"nextCursor,omitempty"`
}

// pageOf wraps a page of items; a full page gets a cursor to the next one.
func pageOf[T any](items []T, limit int, id func(T) string) listPage[T] {
	if items == nil {
		items = []T{}
	}
	p := listPage[T]{Items: items}
	if limit > 0 && len(items) >= limit {
		p.NextCursor = encodeCursor(id(items[len(items)-1]))
	}
	return p
}
