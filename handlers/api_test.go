package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"
)

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(s.b.Bytes()), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("log line %s is not JSON: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func TestHealthAndReadiness(t *testing.T) {
	api := newTestAPI(t)
	api.run(t, []scenario{
		{name: "healthz", method: "GET", path: "/healthz", wantStatus: 200, wantBody: []string{`"ok"`}},
		{name: "readyz", method: "GET", path: "/readyz", wantStatus: 200, wantBody: []string{`"ok"`}},
	})
	down := newTestAPI(t, func(o *Options) {
		o.Ready = func(context.Context) error { return errors.New("connection refused") }
	})
	down.run(t, []scenario{
		{name: "readyz while the store is down", method: "GET", path: "/readyz", wantStatus: 503, wantBody: []string{"urn:rongtong:problem:unavailable"},
			check: func(t *testing.T, r response) {
				if strings.Contains(string(r.body), "refused") {
					t.Errorf("the cause leaked: %s", r.body)
				}
			}},
		{name: "healthz while the store is down", method: "GET", path: "/healthz", wantStatus: 200},
	})
}

func TestErrorsAndMiddleware(t *testing.T) {
	logs := &syncBuffer{}
	api := newTestAPI(t, func(o *Options) {
		o.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		o.BodyLimit = 1 << 10
		o.ImportBodyLimit = 8 << 10
	})
	api.app.Get("/api/v1/test-panic", func(*fiber.Ctx) error { panic("boom") })
	api.app.Get("/api/v1/test-error", func(*fiber.Ctx) error { return errors.New("secret database detail") })
	big := `{"name":"` + strings.Repeat("x", 2<<10) + `"}`
	api.run(t, []scenario{
		{name: "unknown route", method: "GET", path: "/api/v1/nope", wantStatus: 404, wantBody: []string{"urn:rongtong:problem:not_found"}},
		{name: "wrong method", method: "PATCH", path: "/api/v1/orgs", wantStatus: 405, wantBody: []string{"method_not_allowed"}},
		{name: "body over the limit", method: "POST", path: "/api/v1/orgs", as: loner, body: big, wantStatus: 413, wantBody: []string{"too_large"}},
		{name: "the import route takes more", method: "POST", path: "/api/v1/admin/import", as: admin, body: strings.Repeat(" ", 4<<10) + "\n",
			contentType: "application/x-ndjson", wantStatus: 200},
		{name: "panic", method: "GET", path: "/api/v1/test-panic", wantStatus: 500, wantBody: []string{`"detail":"internal error"`},
			check: func(t *testing.T, r response) {
				if strings.Contains(string(r.body), "boom") {
					t.Errorf("panic value leaked: %s", r.body)
				}
			}},
		{name: "internal error", method: "GET", path: "/api/v1/test-error", wantStatus: 500, wantBody: []string{`"detail":"internal error"`},
			header: map[string]string{HeaderRequestID: "trace-me-42"},
			check: func(t *testing.T, r response) {
				if strings.Contains(string(r.body), "secret") {
					t.Errorf("internal error leaked: %s", r.body)
				}
				if r.header.Get(HeaderRequestID) != "trace-me-42" {
					t.Errorf("request ID %q not echoed", r.header.Get(HeaderRequestID))
				}
			}},
		{name: "a sane request ID is echoed", method: "GET", path: "/healthz", header: map[string]string{HeaderRequestID: "abc-123.x"}, wantStatus: 200,
			check: func(t *testing.T, r response) {
				if got := r.header.Get(HeaderRequestID); got != "abc-123.x" {
					t.Errorf("request ID %q", got)
				}
			}},
		{name: "an insane request ID is replaced", method: "GET", path: "/healthz", header: map[string]string{HeaderRequestID: "a b<script>"}, wantStatus: 200,
			check: func(t *testing.T, r response) {
				if got := r.header.Get(HeaderRequestID); got == "" || strings.ContainsAny(got, " <") {
					t.Errorf("request ID %q", got)
				}
			}},
		{name: "unknown query parameter", method: "GET", path: "/api/v1/orgs?typ=sme", wantStatus: 400, wantBody: []string{`"field":"typ"`}},
		{name: "parameter twice", method: "GET", path: "/api/v1/orgs?type=sme&type=investor", wantStatus: 400, wantBody: []string{`"field":"type"`}},
		{name: "limit not a number", method: "GET", path: "/api/v1/orgs?limit=ten", wantStatus: 400, wantBody: []string{`"field":"limit"`}},
		{name: "limit out of range", method: "GET", path: "/api/v1/orgs?limit=201", wantStatus: 422, wantBody: []string{`"field":"limit"`}},
		{name: "bad cursor", method: "GET", path: "/api/v1/orgs?cursor=%24where", wantStatus: 400, wantBody: []string{`"field":"cursor"`}},
		{name: "verified not a boolean", method: "GET", path: "/api/v1/orgs?verified=maybe", wantStatus: 400, wantBody: []string{`"field":"verified"`}},
	})

	// Over the server-wide limit fasthttp refuses the body before any
	// handler runs (app.Test reports that as an error), so this goes
	// through a real listener.
	t.Run("over the server-wide limit", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Skipf("no loopback listener: %v", err)
		}
		go func() { _ = api.app.Listener(ln) }()
		defer func() { _ = api.app.Shutdown() }()
		res, err := http.Post("http://"+ln.Addr().String()+"/api/v1/admin/import", "application/x-ndjson", strings.NewReader(strings.Repeat(" ", 16<<10)))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		r := response{status: res.StatusCode, header: res.Header, body: b}
		if r.status != 413 {
			t.Fatalf("got %d %s, want 413", r.status, b)
		}
		checkProblem(t, r)
	})

	// Every log line of a request carries its ID; the 500s are logged with theirs.
	var sawError, sawAccess bool
	for _, l := range logs.lines(t) {
		if l["requestId"] == nil || l["requestId"] == "" {
			t.Errorf("log line without requestId: %v", l)
		}
		if l["msg"] == "internal error" && l["requestId"] == "trace-me-42" && strings.Contains(l["err"].(string), "secret database detail") {
			sawError = true
		}
		if l["msg"] == "request" && l["route"] == "/api/v1/orgs" && l["status"] == float64(400) {
			sawAccess = true
		}
	}
	if !sawError || !sawAccess {
		t.Errorf("missing log lines (error %v, access %v)", sawError, sawAccess)
	}
}

func TestMetrics(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	api.do(t, request{method: "GET", path: "/api/v1/orgs/" + f.orgA.ID})
	api.do(t, request{method: "GET", path: "/api/v1/no/such/thing"})
	r := api.do(t, request{method: "GET", path: "/metrics"})
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("got %d %s", r.status, r.header.Get("Content-Type"))
	}
	body := string(r.body)
	for _, want := range []string{
		`rongtong_http_requests_total{method="GET",route="/api/v1/orgs/:id",status="200"} 1`,
		`rongtong_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`rongtong_http_request_duration_seconds_bucket{method="GET",route="/api/v1/orgs/:id",le="+Inf"} 1`,
		`rongtong_http_request_duration_seconds_count{method="GET",route="/api/v1/orgs/:id"} 1`,
		"# TYPE rongtong_http_requests_in_flight gauge",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, f.orgA.ID) {
		t.Error("metrics are labelled with raw paths")
	}
}

func TestStaticUI(t *testing.T) {
	api := newTestAPI(t, func(o *Options) {
		o.Static = fstest.MapFS{
			"index.html":    {Data: []byte("<!doctype html><title>融通</title>")},
			"assets/app.js": {Data: []byte("console.log(1)")},
		}
	})
	api.run(t, []scenario{
		{name: "index", method: "GET", path: "/", wantStatus: 200, wantBody: []string{"融通"}},
		{name: "asset", method: "GET", path: "/assets/app.js", wantStatus: 200, wantBody: []string{"console.log"}},
		{name: "client-side route", method: "GET", path: "/orgs/123", wantStatus: 200, wantBody: []string{"融通"}},
		{name: "the API still answers problems", method: "GET", path: "/api/v1/nope", wantStatus: 404, wantBody: []string{"not_found"}},
		{name: "the API itself", method: "GET", path: "/api/v1/ref/regions?parent=330200", wantStatus: 200, wantBody: []string{"330206"}},
		{name: "missing asset", method: "GET", path: "/assets/gone.js", wantStatus: 404},
	})
	for _, c := range []struct{ path, cache, csp string }{
		{"/", "no-cache", "default-src 'self'"},
		{"/orgs/123", "no-cache", "default-src 'self'"},
		{"/assets/app.js", "public, max-age=31536000, immutable", ""},
	} {
		req := httptest.NewRequest("GET", c.path, nil)
		resp, err := api.app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Cache-Control"); got != c.cache {
			t.Errorf("%s: Cache-Control %q, want %q", c.path, got, c.cache)
		}
		if got := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(got, c.csp) || (c.csp == "" && got != "") {
			t.Errorf("%s: Content-Security-Policy %q, want prefix %q", c.path, got, c.csp)
		}
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	f := mustFixture(t)
	for name, o := range map[string]Options{
		"no service":   {JWTSecret: testSecret},
		"short secret": {Service: f.svc, JWTSecret: []byte("short")},
		"long TTL":     {Service: f.svc, JWTSecret: testSecret, AccessTTL: 16 * 60 * 1e9},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("New accepted the options")
				}
			}()
			New(o)
		})
	}
}
