// Package handlers is Rongtong's HTTP API: the Fiber routes under /api/v1, the
// bearer-token authentication in front of them, request decoding and the one
// error handler that turns app.Error values into RFC 9457 problem details.
//
// Every handler follows one sequence: decode → call the use case on
// *app.Service → write the response. Authorization and visibility rules live
// in package app; the handlers only establish who is calling.
package handlers

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"github.com/rongtong/rongtong/app"
)

// Defaults and limits of Options.
const (
	DefaultIssuer          = "rongtong"
	DefaultAudience        = "rongtong"
	DefaultAccessTTL       = 15 * time.Minute
	MaxAccessTTL           = 15 * time.Minute
	DefaultBodyLimit       = 4 << 20
	DefaultImportBodyLimit = 64 << 20
)

// APIPrefix is where the JSON API lives.
const APIPrefix = "/api/v1"

// Options configure the HTTP API. Service and JWTSecret are required.
type Options struct {
	Service *app.Service
	// JWTSecret signs access tokens (HS256); at least 32 bytes.
	JWTSecret []byte
	// Issuer and Audience go into and are required of every access token;
	// both default to "rongtong".
	Issuer, Audience string
	// AccessTTL is the lifetime of an access token: at most 15 minutes, the default.
	AccessTTL time.Duration
	// BodyLimit caps request bodies (default 4 MiB); ImportBodyLimit caps the
	// body of POST /api/v1/admin/import (default 64 MiB).
	BodyLimit       int
	ImportBodyLimit int
	// Logger receives the JSON access log and error reports; every line
	// carries the request ID. Default: JSON to standard error.
	Logger *slog.Logger
	// Ready reports whether the store can be reached, for /readyz; default
	// Service.Store.Ping.
	Ready func(ctx context.Context) error
	// Static is the built web UI, served at / for paths outside the API; may be nil.
	Static fs.FS
	// Clock tells the time for tokens and rate limits; default Service.Clock.
	Clock app.Clock
	// LoginRateLimit limits failed logins per account and attempts per client address.
	LoginRateLimit RateLimit
	// ProxyHeader names the header carrying the client address when the server
	// runs behind a proxy (e.g. "X-Forwarded-For"); it is trusted only from
	// TrustedProxies.
	ProxyHeader    string
	TrustedProxies []string
}

// RateLimit configures the login limiter: at most PerLogin failed logins per
// account within LoginWindow (default 10 per 15 minutes) and at most PerIP
// login or registration attempts per client address within IPWindow (default
// 30 per minute). Both are token buckets that refill evenly over their window.
type RateLimit struct {
	PerLogin    int
	LoginWindow time.Duration
	PerIP       int
	IPWindow    time.Duration
}

func (o *Options) setDefaults() error {
	if o.Service == nil {
		return errors.New("Options.Service is required")
	}
	if len(o.JWTSecret) < 32 {
		return errors.New("Options.JWTSecret must be at least 32 bytes")
	}
	if o.Issuer == "" {
		o.Issuer = DefaultIssuer
	}
	if o.Audience == "" {
		o.Audience = DefaultAudience
	}
	switch {
	case o.AccessTTL == 0:
		o.AccessTTL = DefaultAccessTTL
	case o.AccessTTL < 0 || o.AccessTTL > MaxAccessTTL:
		return fmt.Errorf("Options.AccessTTL must be positive and at most %s", MaxAccessTTL)
	}
	if o.BodyLimit <= 0 {
		o.BodyLimit = DefaultBodyLimit
	}
	if o.ImportBodyLimit <= 0 {
		o.ImportBodyLimit = DefaultImportBodyLimit
	}
	if o.ImportBodyLimit < o.BodyLimit {
		o.ImportBodyLimit = o.BodyLimit
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if o.Ready == nil {
		o.Ready = o.Service.Store.Ping
	}
	if o.Clock == nil {
		o.Clock = o.Service.Clock
	}
	if o.Clock == nil {
		o.Clock = app.SystemClock
	}
	rl := &o.LoginRateLimit
	if rl.PerLogin <= 0 {
		rl.PerLogin = 10
	}
	if rl.LoginWindow <= 0 {
		rl.LoginWindow = 15 * time.Minute
	}
	if rl.PerIP <= 0 {
		rl.PerIP = 30
	}
	if rl.IPWindow <= 0 {
		rl.IPWindow = time.Minute
	}
	return nil
}

// server holds what the handlers share.
type server struct {
	svc     *app.Service
	opts    Options
	log     *slog.Logger
	tokens  *tokens
	byLogin *limiter // failed logins and password checks per account
	byIP    *limiter // login and registration attempts per client address
	metrics *metrics
	openapi []byte
}

// New returns the Fiber app serving the API, /healthz, /readyz, /metrics and,
// when Options.Static is set, the web UI. It panics if the options are
// unusable (no service, a short secret, an access TTL over 15 minutes): the
// configuration is validated at start-up, so that is a programming error.
func New(o Options) *fiber.App {
	if err := o.setDefaults(); err != nil {
		panic("handlers: " + err.Error())
	}
	s := &server{
		svc:     o.Service,
		opts:    o,
		log:     slog.New(withRequestID(o.Logger.Handler())),
		tokens:  newTokens(o.JWTSecret, o.Issuer, o.Audience, o.AccessTTL, o.Clock),
		byLogin: newLimiter(o.LoginRateLimit.PerLogin, o.LoginRateLimit.LoginWindow, o.Clock),
		byIP:    newLimiter(o.LoginRateLimit.PerIP, o.LoginRateLimit.IPWindow, o.Clock),
		metrics: newMetrics(),
	}
	cfg := fiber.Config{
		// The server-wide limit is the largest a route accepts; limitBody
		// holds every other route to BodyLimit.
		BodyLimit:             o.ImportBodyLimit,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		CaseSensitive:         true,
		// Values taken from the request outlive some handlers (the export
		// stream, log lines), so they must not alias fasthttp's buffers.
		Immutable:   true,
		ReadTimeout: 2 * time.Minute,
		IdleTimeout: 2 * time.Minute,
		ProxyHeader: o.ProxyHeader,
		AppName:     "rongtong",
	}
	if len(o.TrustedProxies) > 0 {
		cfg.EnableTrustedProxyCheck = true
		cfg.TrustedProxies = o.TrustedProxies
	}
	fa := fiber.New(cfg)

	fa.Use(s.observe)
	fa.Use(s.limitBody)
	// Compress what is worth it (the UI's scripts, the reference tables);
	// the export stream is left alone so it flows as it is written.
	fa.Use(compress.New(compress.Config{
		Level: compress.LevelBestSpeed,
		Next:  func(c *fiber.Ctx) bool { return c.Path() == APIPrefix+"/export" },
	}))

	fa.Get("/healthz", s.healthz)
	fa.Get("/readyz", s.readyz)
	fa.Get("/metrics", s.metrics.handler)

	api := fa.Group(APIPrefix)
	api.Get("/openapi.json", s.serveOpenAPI)
	(&authRoutes{s}).Register(api)
	(&orgRoutes{s}).Register(api)
	(&listingRoutes{s}).Register(api)
	(&refRoutes{s}).Register(api)
	(&adminRoutes{s}).Register(api)
	(&searchRoutes{s}).Register(api)
	(&matchRoutes{s}).Register(api)
	(&cultivationRoutes{s}).Register(api)
	(&eventRoutes{s}).Register(api)
	(&pairingRoutes{s}).Register(api)

	if o.Static != nil {
		fa.Use(s.static(o.Static))
	}

	doc, err := buildOpenAPI()
	if err != nil {
		panic("handlers: openapi: " + err.Error())
	}
	s.openapi = doc
	return fa
}

// healthz answers while the process is up.
func (s *server) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 when the store can be reached and 503 otherwise.
func (s *server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	if err := s.opts.Ready(ctx); err != nil {
		s.log.WarnContext(c.UserContext(), "not ready", "err", err)
		return app.Errorf(app.EUNAVAILABLE, "the store cannot be reached")
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
