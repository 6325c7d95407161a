package handlers

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/rongtong/rongtong/app"
)

// TestAuthFlow walks an account through registration, login, refresh-token
// rotation (a reused token ends the whole login), logout, /me and a password
// change, as one ordered scenario table.
func TestAuthFlow(t *testing.T) {
	api := newTestAPI(t)
	email := "flow" + strings.ToLower(app.NewSecret(4)) + "@example.cn"
	const pw, pw2 = "Passw0rd-flow", "Passw0rd-next"
	var access, refresh1, refresh2, refresh3, refresh4, refresh5 string
	save := func(dst *string, access *string) func(t *testing.T, r response) {
		return func(t *testing.T, r response) {
			var tr TokenResponse
			r.json(t, &tr)
			if tr.AccessToken == "" || tr.RefreshToken == "" || tr.TokenType != "Bearer" || tr.ExpiresIn != 900 || tr.User == nil {
				t.Fatalf("token response %s", r.body)
			}
			if cc := r.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			*dst = tr.RefreshToken
			if access != nil {
				*access = tr.AccessToken
			}
		}
	}
	login := func(p string) map[string]string {
		return map[string]string{"login": strings.ToUpper(email), "password": p}
	}
	steps := []struct {
		scenario
		body  func() any
		token func() string
	}{
		{scenario: scenario{name: "register", method: "POST", path: "/api/v1/auth/register", wantStatus: 201, wantBody: []string{`"email":"` + email + `"`, `"role":"sme"`},
			check: func(t *testing.T, r response) {
				if strings.Contains(string(r.body), "argon2") || strings.Contains(strings.ToLower(string(r.body)), "password") {
					t.Errorf("registration answer shows the password hash: %s", r.body)
				}
			}},
			body: func() any {
				return app.RegisterInput{Email: email, Password: pw, Role: app.RoleSME, Name: "流程测试"}
			}},
		{scenario: scenario{name: "register the same e-mail again", method: "POST", path: "/api/v1/auth/register", wantStatus: 409},
			body: func() any { return app.RegisterInput{Email: email, Password: pw, Role: app.RoleSME} }},
		{scenario: scenario{name: "register as admin", method: "POST", path: "/api/v1/auth/register", wantStatus: 422, wantBody: []string{`"field":"role"`}},
			body: func() any { return app.RegisterInput{Email: "x" + email, Password: pw, Role: app.RoleAdmin} }},
		{scenario: scenario{name: "login with a wrong password", method: "POST", path: "/api/v1/auth/login", wantStatus: 401},
			body: func() any { return login("Wrong-pass-1") }},
		{scenario: scenario{name: "login", method: "POST", path: "/api/v1/auth/login", wantStatus: 200}, body: func() any { return login(pw) }},
		{scenario: scenario{name: "me", method: "GET", path: "/api/v1/auth/me", wantStatus: 200, wantBody: []string{email, `"org":null`}},
			token: func() string { return access }},
		{scenario: scenario{name: "refresh", method: "POST", path: "/api/v1/auth/refresh", wantStatus: 200},
			body: func() any { return RefreshRequest{RefreshToken: refresh1} }},
		{scenario: scenario{name: "reuse the rotated refresh token", method: "POST", path: "/api/v1/auth/refresh", wantStatus: 401},
			body: func() any { return RefreshRequest{RefreshToken: refresh1} }},
		{scenario: scenario{name: "the reuse ended the whole login", method: "POST", path: "/api/v1/auth/refresh", wantStatus: 401},
			body: func() any { return RefreshRequest{RefreshToken: refresh2} }},
		{scenario: scenario{name: "login again", method: "POST", path: "/api/v1/auth/login", wantStatus: 200}, body: func() any { return login(pw) }},
		{scenario: scenario{name: "logout", method: "POST", path: "/api/v1/auth/logout", wantStatus: 204},
			body: func() any { return RefreshRequest{RefreshToken: refresh3} }},
		{scenario: scenario{name: "refresh after logout", method: "POST", path: "/api/v1/auth/refresh", wantStatus: 401},
			body: func() any { return RefreshRequest{RefreshToken: refresh3} }},
		{scenario: scenario{name: "login a third time", method: "POST", path: "/api/v1/auth/login", wantStatus: 200}, body: func() any { return login(pw) }},
		{scenario: scenario{name: "password change with a wrong old password", method: "POST", path: "/api/v1/auth/password", wantStatus: 422, wantBody: []string{`"field":"oldPassword"`}},
			body: func() any { return PasswordRequest{OldPassword: "Not-the-pass-9", NewPassword: pw2} }, token: func() string { return access }},
		{scenario: scenario{name: "password change to a weak password", method: "POST", path: "/api/v1/auth/password", wantStatus: 422, wantBody: []string{`"field":"newPassword"`}},
			body: func() any { return PasswordRequest{OldPassword: pw, NewPassword: "short"} }, token: func() string { return access }},
		{scenario: scenario{name: "password change", method: "POST", path: "/api/v1/auth/password", wantStatus: 200},
			body: func() any { return PasswordRequest{OldPassword: pw, NewPassword: pw2} }, token: func() string { return access }},
		{scenario: scenario{name: "the change ended the other logins", method: "POST", path: "/api/v1/auth/refresh", wantStatus: 401},
			body: func() any { return RefreshRequest{RefreshToken: refresh4} }},
		{scenario: scenario{name: "the change started a new login", method: "POST", path: "/api/v1/auth/refresh", wantStatus: 200},
			body: func() any { return RefreshRequest{RefreshToken: refresh5} }},
		{scenario: scenario{name: "login with the old password", method: "POST", path: "/api/v1/auth/login", wantStatus: 401}, body: func() any { return login(pw) }},
		{scenario: scenario{name: "login with the new password", method: "POST", path: "/api/v1/auth/login", wantStatus: 200, wantBody: []string{email}}, body: func() any { return login(pw2) }},
		{scenario: scenario{name: "me without a token", method: "GET", path: "/api/v1/auth/me", wantStatus: 401,
			check: func(t *testing.T, r response) {
				if r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			}}},
	}
	savers := map[string]func(*testing.T, response){
		"login":                          save(&refresh1, &access),
		"refresh":                        save(&refresh2, nil),
		"login again":                    save(&refresh3, nil),
		"login a third time":             save(&refresh4, &access),
		"password change":                save(&refresh5, nil),
		"the change started a new login": func(t *testing.T, r response) {},
	}
	for _, st := range steps {
		sc := st.scenario
		ok := t.Run(sc.name, func(t *testing.T) {
			rq := request{method: sc.method, path: sc.path}
			if st.body != nil {
				rq.body = st.body()
			}
			if st.token != nil {
				rq.token = st.token()
			}
			r := api.do(t, rq)
			if r.status != sc.wantStatus {
				t.Fatalf("got %d, want %d: %s", r.status, sc.wantStatus, r.body)
			}
			for _, w := range sc.wantBody {
				if !strings.Contains(string(r.body), w) {
					t.Errorf("body %s does not contain %q", r.body, w)
				}
			}
			if r.status >= 400 {
				checkProblem(t, r)
			}
			if sc.check != nil {
				sc.check(t, r)
			}
			if s := savers[sc.name]; s != nil {
				s(t, r)
			}
		})
		if !ok {
			t.FailNow()
		}
	}
}

// TestAccessTokens checks what the middleware refuses: a token of another
// key, algorithm, issuer or audience, an expired one, a missing expiry, and
// one whose user was disabled.
func TestAccessTokens(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	user := f.mustUser(t, app.RoleSME, nil, "")
	now := api.clock.Now()
	sign := func(method jwt.SigningMethod, key any, c jwt.RegisteredClaims) string {
		s, err := jwt.NewWithClaims(method, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := func() jwt.RegisteredClaims {
		return jwt.RegisteredClaims{Issuer: DefaultIssuer, Audience: jwt.ClaimStrings{DefaultAudience}, Subject: user.ID,
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(10 * time.Minute))}
	}
	with := func(edit func(*jwt.RegisteredClaims)) jwt.RegisteredClaims {
		c := good()
		edit(&c)
		return c
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, good()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		token string
		want  int
	}{
		{"valid", sign(jwt.SigningMethodHS256, testSecret, good()), 200},
		{"other key", sign(jwt.SigningMethodHS256, []byte("another-secret-of-thirty-two-bytes!!"), good()), 401},
		{"HS512", sign(jwt.SigningMethodHS512, testSecret, good()), 401},
		{"alg none", none, 401},
		{"other issuer", sign(jwt.SigningMethodHS256, testSecret, with(func(c *jwt.RegisteredClaims) { c.Issuer = "evil" })), 401},
		{"other audience", sign(jwt.SigningMethodHS256, testSecret, with(func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"evil"} })), 401},
		{"no expiry", sign(jwt.SigningMethodHS256, testSecret, with(func(c *jwt.RegisteredClaims) { c.ExpiresAt = nil })), 401},
		{"expired", sign(jwt.SigningMethodHS256, testSecret, with(func(c *jwt.RegisteredClaims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Minute)) })), 401},
		{"lives too long", sign(jwt.SigningMethodHS256, testSecret, with(func(c *jwt.RegisteredClaims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(time.Hour)) })), 401},
		{"subject not an ID", sign(jwt.SigningMethodHS256, testSecret, with(func(c *jwt.RegisteredClaims) { c.Subject = "admin" })), 401},
		{"unknown user", sign(jwt.SigningMethodHS256, testSecret, with(func(c *jwt.RegisteredClaims) { c.Subject = app.NewID() })), 401},
		{"garbage", "not.a.token", 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := api.do(t, request{method: "GET", path: "/api/v1/auth/me", token: tc.token})
			if r.status != tc.want {
				t.Fatalf("got %d, want %d: %s", r.status, tc.want, r.body)
			}
		})
	}
	t.Run("wrong scheme", func(t *testing.T) {
		r := api.do(t, request{method: "GET", path: "/api/v1/orgs", header: map[string]string{"Authorization": "Basic dXNlcjpwYXNz"}})
		if r.status != 401 {
			t.Fatalf("got %d, want 401", r.status)
		}
	})
	t.Run("an invalid token is refused on public reads too", func(t *testing.T) {
		r := api.do(t, request{method: "GET", path: "/api/v1/orgs", token: "not.a.token"})
		if r.status != 401 {
			t.Fatalf("got %d, want 401", r.status)
		}
	})
	t.Run("expiry follows the clock", func(t *testing.T) {
		tok := api.tokenFor(t, user.ID)
		if r := api.do(t, request{method: "GET", path: "/api/v1/auth/me", token: tok}); r.status != 200 {
			t.Fatalf("fresh token: got %d", r.status)
		}
		api.clock.Advance(16 * time.Minute)
		if r := api.do(t, request{method: "GET", path: "/api/v1/auth/me", token: tok}); r.status != 401 {
			t.Fatalf("token after 16 minutes: got %d, want 401", r.status)
		}
	})
	t.Run("a disabled account is refused at once", func(t *testing.T) {
		u := f.mustUser(t, app.RoleSME, nil, "")
		tok := api.tokenFor(t, u.ID)
		r := api.do(t, request{method: "PUT", path: "/api/v1/admin/users/" + u.ID, as: admin, body: map[string]any{"disabled": true}})
		if r.status != 200 {
			t.Fatalf("disable: got %d: %s", r.status, r.body)
		}
		if r := api.do(t, request{method: "GET", path: "/api/v1/auth/me", token: tok}); r.status != 401 {
			t.Fatalf("disabled user's token: got %d, want 401", r.status)
		}
	})
}

// TestLoginRateLimit checks the per-account and per-address limits: 429
// with Retry-After, and recovery once the window has refilled.
func TestLoginRateLimit(t *testing.T) {
	t.Run("per account", func(t *testing.T) {
		api := newTestAPI(t, func(o *Options) { o.LoginRateLimit = RateLimit{PerLogin: 2, LoginWindow: 15 * time.Minute, PerIP: 100} })
		body := map[string]string{"login": "nobody-rl@example.cn", "password": "Whatever-1"}
		for i := 0; i < 2; i++ {
			if r := api.do(t, request{method: "POST", path: "/api/v1/auth/login", body: body}); r.status != 401 {
				t.Fatalf("attempt %d: got %d, want 401", i+1, r.status)
			}
		}
		r := api.do(t, request{method: "POST", path: "/api/v1/auth/login", body: body})
		if r.status != 429 {
			t.Fatalf("third attempt: got %d, want 429: %s", r.status, r.body)
		}
		checkProblem(t, r)
		ra, err := strconv.Atoi(r.header.Get("Retry-After"))
		if err != nil || ra < 1 || ra > 450 {
			t.Fatalf("Retry-After %q, want 1..450 seconds", r.header.Get("Retry-After"))
		}
		// Another account from the same address is not affected.
		other := map[string]string{"login": "someone-else-rl@example.cn", "password": "Whatever-1"}
		if r := api.do(t, request{method: "POST", path: "/api/v1/auth/login", body: other}); r.status != 401 {
			t.Fatalf("other account: got %d, want 401", r.status)
		}
		// The same account, spelt differently, is.
		if r := api.do(t, request{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"login": " NOBODY-rl@example.cn", "password": "x"}}); r.status != 429 {
			t.Fatalf("same account in capitals: got %d, want 429", r.status)
		}
		api.clock.Advance(time.Duration(ra) * time.Second)
		if r := api.do(t, request{method: "POST", path: "/api/v1/auth/login", body: body}); r.status != 401 {
			t.Fatalf("after Retry-After: got %d, want 401", r.status)
		}
	})
	t.Run("per address", func(t *testing.T) {
		api := newTestAPI(t, func(o *Options) { o.LoginRateLimit = RateLimit{PerLogin: 100, PerIP: 1, IPWindow: time.Minute} })
		for i := 0; i < 1; i++ {
			body := map[string]string{"login": "ip" + strconv.Itoa(i) + "@example.cn", "password": "Whatever-1"}
			if r := api.do(t, request{method: "POST", path: "/api/v1/auth/login", body: body}); r.status != 401 {
				t.Fatalf("attempt %d: got %d, want 401", i+1, r.status)
			}
		}
		r := api.do(t, request{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"login": "ip9@example.cn", "password": "x"}})
		if r.status != 429 || r.header.Get("Retry-After") == "" {
			t.Fatalf("second attempt: got %d (Retry-After %q), want 429 with Retry-After", r.status, r.header.Get("Retry-After"))
		}
		// Registration shares the address limit (it hashes a password too).
		r = api.do(t, request{method: "POST", path: "/api/v1/auth/register", body: app.RegisterInput{Email: "rl@example.cn", Password: "Passw0rd-rl", Role: app.RoleSME}})
		if r.status != 429 {
			t.Fatalf("registration: got %d, want 429", r.status)
		}
	})
	t.Run("wrong old passwords count against the account", func(t *testing.T) {
		api := newTestAPI(t, func(o *Options) { o.LoginRateLimit = RateLimit{PerLogin: 1, PerIP: 100} })
		u := api.f.mustUser(t, app.RoleSME, nil, "")
		body := PasswordRequest{OldPassword: "Not-it-123", NewPassword: "Passw0rd-new"}
		for i := 0; i < 1; i++ {
			if r := api.do(t, request{method: "POST", path: "/api/v1/auth/password", as: u.ID, body: body}); r.status != 422 {
				t.Fatalf("attempt %d: got %d, want 422", i+1, r.status)
			}
		}
		if r := api.do(t, request{method: "POST", path: "/api/v1/auth/password", as: u.ID, body: body}); r.status != 429 {
			t.Fatalf("second attempt: got %d, want 429", r.status)
		}
	})
}

// TestTokenResponseShape pins the JSON names of the login answer.
func TestTokenResponseShape(t *testing.T) {
	b, err := json.Marshal(TokenResponse{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"accessToken"`, `"expiresIn"`, `"refreshToken"`, `"user"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("%s lacks %s", b, k)
		}
	}
}
