package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// HeaderRequestID carries the request ID in both directions.
const HeaderRequestID = "X-Request-ID"

type ctxKey int

const (
	requestIDKey ctxKey = iota
	actorKey
)

// RequestID returns the request ID that the API put in a request's context,
// "" if there is none.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// withRequestID wraps a slog handler so that every record logged with a
// request's context carries its request ID.
func withRequestID(h slog.Handler) slog.Handler { return requestIDHandler{h} }

// LogHandler wraps h so that records logged with a request's context (as the
// use cases do with c.UserContext()) carry the request ID. cmd/rongtong can
// wrap the service's logger with it.
func LogHandler(h slog.Handler) slog.Handler { return withRequestID(h) }

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		has := false
		r.Attrs(func(a slog.Attr) bool {
			has = a.Key == "requestId"
			return !has
		})
		if !has {
			r.AddAttrs(slog.String("requestId", id))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// saneRequestID reports whether an incoming request ID may be echoed and
// logged: 1 to 64 characters of letters, digits and -_.:
func saneRequestID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// requestIDOf returns the request's ID, set by observe; for errors raised
// before any middleware ran it falls back to the header or a new ID.
func requestIDOf(c *fiber.Ctx) string {
	if id, ok := c.Locals(requestIDKey).(string); ok {
		return id
	}
	id := c.Get(HeaderRequestID)
	if !saneRequestID(id) {
		id = app.NewID()
	}
	c.Locals(requestIDKey, id)
	c.Set(HeaderRequestID, id)
	return id
}

// observe is the outermost middleware: it assigns the request ID, recovers
// panics, turns every error into a problem response (so that what it logs
// and counts is the status the client gets), and writes the access log and
// the metrics.
func (s *server) observe(c *fiber.Ctx) error {
	start := time.Now()
	rid := requestIDOf(c)
	ctx := context.WithValue(c.UserContext(), requestIDKey, rid)
	c.SetUserContext(ctx)
	// Answers hold per-caller data unless a route says otherwise (the
	// reference tables, the OpenAPI document, static files).
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	s.metrics.inFlight.Add(1)
	defer s.metrics.inFlight.Add(-1)

	self := c.Route()
	if err := safeNext(c); err != nil {
		if herr := s.handleError(c, err); herr != nil {
			s.log.ErrorContext(ctx, "error handler failed", "err", herr)
			c.Status(fiber.StatusInternalServerError)
		}
	}
	route := "unmatched"
	if r := c.Route(); r != self && r.Method != "USE" {
		route = r.Path
	}
	status := c.Response().StatusCode()
	elapsed := time.Since(start)
	s.metrics.observe(c.Method(), route, status, elapsed)

	level := slog.LevelInfo
	switch {
	case route == "/healthz" || route == "/readyz" || route == "/metrics":
		level = slog.LevelDebug
	case status >= 500:
		level = slog.LevelError
	}
	attrs := []slog.Attr{
		slog.String("method", c.Method()),
		slog.String("route", route),
		slog.String("path", c.Path()),
		slog.Int("status", status),
		slog.Float64("ms", float64(elapsed.Microseconds())/1000),
		slog.Int("bytes", responseSize(c)),
		slog.String("ip", c.IP()),
	}
	if a := actorOf(c); a != nil {
		attrs = append(attrs, slog.String("user", a.UserID))
	}
	s.log.LogAttrs(ctx, level, "request", attrs...)
	return nil
}

// responseSize is the length of the response body, -1 for a stream (whose
// Body() would read it all into memory).
func responseSize(c *fiber.Ctx) int {
	if c.Response().IsBodyStream() {
		return -1
	}
	return len(c.Response().Body())
}

// safeNext runs the rest of the chain, turning a panic into an internal error
// that carries the stack for the log.
func safeNext(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return c.Next()
}

// limitBody holds request bodies to Options.BodyLimit, except on the import
// route which may take Options.ImportBodyLimit (the server-wide limit).
func (s *server) limitBody(c *fiber.Ctx) error {
	limit := s.opts.BodyLimit
	if c.Path() == APIPrefix+importPath || c.Path() == APIPrefix+indicatorImportPath {
		limit = s.opts.ImportBodyLimit
	}
	if n := c.Request().Header.ContentLength(); n > limit || len(c.Request().Body()) > limit {
		return &app.Error{Code: app.ETOOLARGE, Message: "the request body is larger than " + strconv.Itoa(limit>>10) + " KiB"}
	}
	return c.Next()
}
