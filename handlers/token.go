package handlers

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/golang-jwt/jwt/v5"

	"github.com/rongtong/rongtong/app"
)

// tokens issues and verifies access tokens: HS256 JWTs whose subject is the
// user ID, with issuer, audience and a short expiry.
type tokens struct {
	secret   []byte
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
	parser   *jwt.Parser
}

// maxTokenLen bounds what is handed to the JWT parser.
const maxTokenLen = 2048

func newTokens(secret []byte, issuer, audience string, ttl time.Duration, now func() time.Time) *tokens {
	return &tokens{
		secret: secret, issuer: issuer, audience: audience, ttl: ttl, now: now,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithIssuer(issuer),
			jwt.WithAudience(audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(5*time.Second),
			jwt.WithTimeFunc(now),
		),
	}
}

// issue returns a signed access token for the user and its expiry.
func (t *tokens) issue(userID string) (string, time.Time, error) {
	now := t.now().UTC()
	exp := now.Add(t.ttl)
	claims := jwt.RegisteredClaims{
		Issuer:    t.issuer,
		Subject:   userID,
		Audience:  jwt.ClaimStrings{t.audience},
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
		ID:        app.NewSecret(12),
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	return s, exp, err
}

// verify checks a token's signature, algorithm, issuer, audience and expiry
// and returns its subject. Every failure is EUNAUTHORIZED.
func (t *tokens) verify(raw string) (string, error) {
	bad := app.Errorf(app.EUNAUTHORIZED, "the access token is invalid or has expired")
	if raw == "" || len(raw) > maxTokenLen {
		return "", bad
	}
	var claims jwt.RegisteredClaims
	tok, err := t.parser.ParseWithClaims(raw, &claims, func(tok *jwt.Token) (any, error) {
		if tok.Method != jwt.SigningMethodHS256 {
			return nil, errors.New("unexpected signing method")
		}
		return t.secret, nil
	})
	if err != nil || !tok.Valid {
		return "", bad
	}
	if claims.IssuedAt == nil || claims.ExpiresAt.Sub(claims.IssuedAt.Time) > MaxAccessTTL+time.Second {
		return "", bad
	}
	if !app.ValidID(claims.Subject) {
		return "", bad
	}
	return claims.Subject, nil
}

// bearer returns the token of an "Authorization: Bearer …" header; ok is
// false when the header is absent, err set when it is present but unusable.
func bearer(c *fiber.Ctx) (token string, ok bool, err error) {
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" {
		return "", false, nil
	}
	scheme, tok, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", true, app.Errorf(app.EUNAUTHORIZED, "use the Authorization header as \"Bearer <access token>\"")
	}
	return strings.TrimSpace(tok), true, nil
}

// actorOf returns the caller loaded by optionalAuth or requireAuth; nil for
// an anonymous request.
func actorOf(c *fiber.Ctx) *app.Actor {
	a, _ := c.Locals(actorKey).(*app.Actor)
	return a
}

// authenticate loads the actor of a bearer token, if the request has one.
// A token that is present but invalid is a 401 even where anonymous callers
// are welcome, so clients learn to refresh it.
func (s *server) authenticate(c *fiber.Ctx) error {
	raw, present, err := bearer(c)
	if err != nil {
		return err
	}
	if !present {
		return nil
	}
	sub, err := s.tokens.verify(raw)
	if err != nil {
		return err
	}
	a, err := s.svc.Actor(c.UserContext(), sub)
	if err != nil {
		return err
	}
	c.Locals(actorKey, a)
	return nil
}

// optionalAuth is the middleware of routes open to anonymous callers.
func (s *server) optionalAuth(c *fiber.Ctx) error {
	if err := s.authenticate(c); err != nil {
		return err
	}
	return c.Next()
}

// requireAuth is the middleware of routes that need a logged-in caller.
func (s *server) requireAuth(c *fiber.Ctx) error {
	if err := s.authenticate(c); err != nil {
		return err
	}
	if actorOf(c) == nil {
		return app.Errorf(app.EUNAUTHORIZED, "log in first")
	}
	return c.Next()
}
