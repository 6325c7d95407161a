package handlers

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// authRoutes are accounts and sessions: registration, login, refresh-token
// rotation, logout, the caller's profile and password change.
type authRoutes struct{ s *server }

// Register adds the routes.
func (h *authRoutes) Register(r fiber.Router) {
	r.Post("/auth/register", h.register)
	r.Post("/auth/login", h.login)
	r.Post("/auth/refresh", h.refresh)
	r.Post("/auth/logout", h.logout)
	r.Get("/auth/me", h.s.requireAuth, h.me)
	r.Post("/auth/password", h.s.requireAuth, h.password)
}

// LoginRequest is the body of POST /auth/login; login is an e-mail address
// or a mobile number.
type LoginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// Validate checks that both parts are there.
func (r *LoginRequest) Validate() error {
	var f app.Fields
	if strings.TrimSpace(r.Login) == "" {
		f.Add("login", app.FieldRequired, "is required")
	}
	if r.Password == "" {
		f.Add("password", app.FieldRequired, "is required")
	}
	return f.Err()
}

// RefreshRequest is the body of POST /auth/refresh and /auth/logout.
type RefreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// Validate checks that the token is there.
func (r *RefreshRequest) Validate() error {
	if r.RefreshToken == "" {
		return app.Invalid("refreshToken", app.FieldRequired, "is required")
	}
	return nil
}

// PasswordRequest is the body of POST /auth/password.
type PasswordRequest struct {
	OldPassword string `json:"oldPassword"`
	NewPassword string `json:"newPassword"`
}

// Validate checks that both passwords are there; the rules for a new
// password are the use case's.
func (r *PasswordRequest) Validate() error {
	var f app.Fields
	if r.OldPassword == "" {
		f.Add("oldPassword", app.FieldRequired, "is required")
	}
	if r.NewPassword == "" {
		f.Add("newPassword", app.FieldRequired, "is required")
	}
	return f.Err()
}

// TokenResponse answers a login, a refresh and a password change: a
// short-lived access token for the Authorization header and the refresh
// token that obtains the next one (each is good for one use).
type TokenResponse struct {
	AccessToken  string    `json:"accessToken"`
	TokenType    string    `json:"tokenType"`
	ExpiresIn    int       `json:"expiresIn"` // seconds
	RefreshToken string    `json:"refreshToken"`
	User         *app.User `json:"user"`
}

// MeResponse is the caller's account and organisation.
type MeResponse struct {
	User *app.User       `json:"user"`
	Org  *app.OrgSummary `json:"org"`
}

func (h *authRoutes) register(c *fiber.Ctx) error {
	var in app.RegisterInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if wait := h.s.byIP.take(c.IP()); wait > 0 {
		return errRateLimited(wait, "attempts from your address")
	}
	u, err := h.s.svc.Register(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

// loginKey is the rate-limit key of a login name.
func loginKey(login string) string {
	login = strings.ToLower(strings.TrimSpace(app.FoldWidth(login)))
	if len(login) > 254 {
		login = login[:254]
	}
	return "login:" + login
}

func (h *authRoutes) login(c *fiber.Ctx) error {
	var in LoginRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	if wait := h.s.byIP.take(c.IP()); wait > 0 {
		return errRateLimited(wait, "attempts from your address")
	}
	key := loginKey(in.Login)
	if wait := h.s.byLogin.wait(key); wait > 0 {
		return errRateLimited(wait, "failed logins for this account")
	}
	u, err := h.s.svc.Login(c.UserContext(), in.Login, in.Password)
	if app.ErrorCode(err) == app.EUNAUTHORIZED {
		h.s.byLogin.spend(key)
	}
	if err != nil {
		return err
	}
	h.s.byLogin.reset(key)
	return h.s.issue(c, u, "")
}

// issue answers with a new access token and a refresh token of the login
// family ("" starts a new login).
func (s *server) issue(c *fiber.Ctx, u *app.User, family string) error {
	refresh, err := s.svc.IssueRefreshToken(c.UserContext(), u.ID, family)
	if err != nil {
		return err
	}
	return s.respondTokens(c, u, refresh)
}

func (s *server) respondTokens(c *fiber.Ctx, u *app.User, refresh string) error {
	access, exp, err := s.tokens.issue(u.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(TokenResponse{
		AccessToken:  access,
		TokenType:    "Bearer",
		ExpiresIn:    int(exp.Sub(s.tokens.now()).Round(time.Second).Seconds()),
		RefreshToken: refresh,
		User:         u,
	})
}

func (h *authRoutes) refresh(c *fiber.Ctx) error {
	var in RefreshRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	u, next, err := h.s.svc.Refresh(c.UserContext(), in.RefreshToken)
	if err != nil {
		return err
	}
	return h.s.respondTokens(c, u, next)
}

func (h *authRoutes) logout(c *fiber.Ctx) error {
	var in RefreshRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	if err := h.s.svc.Logout(c.UserContext(), in.RefreshToken); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *authRoutes) me(c *fiber.Ctx) error {
	a := actorOf(c)
	u, err := h.s.svc.Me(c.UserContext(), a)
	if err != nil {
		return err
	}
	out := MeResponse{User: u}
	if a.OrgID != "" {
		o, err := h.s.svc.GetOrg(c.UserContext(), a, a.OrgID)
		if err != nil {
			return err
		}
		sum := o.Summary()
		out.Org = &sum
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

// password changes the caller's password. The use case ends every login of
// the account; the answer starts a new one, so only this client stays in.
// Wrong old passwords count against the account like failed logins.
func (h *authRoutes) password(c *fiber.Ctx) error {
	var in PasswordRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	a := actorOf(c)
	key := "password:" + a.UserID
	if wait := h.s.byLogin.wait(key); wait > 0 {
		return errRateLimited(wait, "wrong passwords")
	}
	err := h.s.svc.ChangePassword(c.UserContext(), a, in.OldPassword, in.NewPassword)
	var ae *app.Error
	if errors.As(err, &ae) && len(ae.Fields) > 0 && ae.Fields[0].Field == "oldPassword" {
		h.s.byLogin.spend(key)
	}
	if err != nil {
		return err
	}
	h.s.byLogin.reset(key)
	u, err := h.s.svc.Me(c.UserContext(), a)
	if err != nil {
		return err
	}
	return h.s.issue(c, u, "")
}
