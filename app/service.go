package app

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/rongtong/rongtong/ref"
)

// Actor is who is calling a use case, loaded fresh for every request so that
// membership and verification changes take effect at once.
type Actor struct {
	UserID      string
	Role        Role
	RegionScope string // admins only
	OrgID       string
	OrgRole     MemberRole
	OrgType     OrgType
	OrgVerified bool
	// System is set for the command-line tools, which act with full rights.
	System bool
}

// SystemActor returns the actor of command-line tools such as import and seed.
func SystemActor() *Actor { return &Actor{Role: RoleAdmin, System: true} }

// Admin reports whether the actor is an admin (or the system).
func (a *Actor) Admin() bool { return a != nil && (a.System || a.Role == RoleAdmin) }

// AdminOf reports whether the actor is an admin whose scope covers region.
// An admin scoped to a region has no admin rights over records without one.
func (a *Actor) AdminOf(region string) bool {
	if !a.Admin() {
		return false
	}
	if a.RegionScope == "" {
		return true
	}
	return region != "" && ref.RegionCovers(a.RegionScope, region)
}

// MemberOf reports whether the actor belongs to the organisation.
func (a *Actor) MemberOf(orgID string) bool {
	return a != nil && orgID != "" && a.OrgID == orgID
}

// OwnerOf reports whether the actor owns the organisation.
func (a *Actor) OwnerOf(orgID string) bool { return a.MemberOf(orgID) && a.OrgRole == MemberOwner }

// VerifiedInvestor reports whether the actor belongs to a verified investor.
func (a *Actor) VerifiedInvestor() bool {
	return a != nil && a.OrgType == OrgInvestor && a.OrgVerified
}

// visibility returns the list restriction for the actor: nil when the actor
// may see everything in the region being listed.
func (a *Actor) visibility(region string) *Visibility {
	if a.Admin() && (a.RegionScope == "" || (region != "" && ref.RegionCovers(a.RegionScope, region))) {
		return nil
	}
	if a == nil {
		return &Visibility{}
	}
	return &Visibility{OrgID: a.OrgID}
}

// Config holds the use cases' tunable limits.
type Config struct {
	RefreshTTL  time.Duration // how long a refresh token lives
	InviteTTL   time.Duration // how long an invitation code lives
	ImportBatch int           // records per store transaction during imports
	Pairing     PairingConfig
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{RefreshTTL: 30 * 24 * time.Hour, InviteTTL: 7 * 24 * time.Hour, ImportBatch: 1000,
		Pairing: DefaultPairingConfig()}
}

// Service holds the use cases. Its fields are set once by cmd/rongtong.
type Service struct {
	Store Store
	Index Indexer // may be nil
	// Searcher answers searches; may be nil (search is then unavailable).
	Searcher Searcher
	// Matcher ranks matches; may be nil (matching is then unavailable).
	Matcher Matcher
	Clock   Clock
	Log     *slog.Logger
	Config  Config
	// Cultivation configures the cultivation database; zero for the defaults.
	Cultivation Cultivation
	// Pairings counts the pairing workflow's progress for the dashboard;
	// may be nil (the funnel and the pairing targets are then unavailable).
	Pairings PairingCounter
	// Mailer sends the inbox's e-mail copies; may be nil (no e-mail).
	Mailer Mailer

	feeds *pairingFeeds // shared by copies of the Service
}

// NewService returns a Service with defaults for the optional parts.
func NewService(s Store, ix Indexer, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Store: s, Index: ix, Clock: SystemClock, Log: log, Config: DefaultConfig(), feeds: &pairingFeeds{}}
}

func (s *Service) now() time.Time { return s.Clock().UTC().Truncate(time.Millisecond) }

var errForbidden = &Error{Code: EFORBIDDEN, Message: "you may not do this"}

// Actor loads the actor for a user ID taken from a verified access token.
// It returns EUNAUTHORIZED if the user no longer exists or is disabled.
func (s *Service) Actor(ctx context.Context, userID string) (*Actor, error) {
	u, err := s.Store.FindUser(ctx, userID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHORIZED, "the account no longer exists")
	} else if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, Errorf(EUNAUTHORIZED, "the account is disabled")
	}
	a := &Actor{UserID: u.ID, Role: u.Role, RegionScope: u.RegionScope, OrgID: u.OrgID, OrgRole: u.OrgRole}
	if u.OrgID != "" {
		o, err := s.Store.FindOrg(ctx, u.OrgID)
		if err == nil {
			a.OrgType, a.OrgVerified = o.Type, o.Verified
		} else if ErrorCode(err) == ENOTFOUND {
			a.OrgID, a.OrgRole = "", ""
		} else {
			return nil, err
		}
	}
	return a, nil
}

// RegisterInput is what a new user submits.
type RegisterInput struct {
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Name     string `json:"name"`
	Password string `json:"password"`
	Role     Role   `json:"role"`
}

// Register creates an account. Admins are made with CreateAdmin instead.
func (s *Service) Register(ctx context.Context, in RegisterInput) (*User, error) {
	var f Fields
	in.Email = strings.TrimSpace(in.Email)
	in.Phone = strings.TrimSpace(FoldWidth(in.Phone))
	switch {
	case in.Email == "" && in.Phone == "":
		f.Add("email", FieldRequired, "give an e-mail address or a mobile number")
	case in.Email != "" && !ValidEmail(in.Email):
		f.Add("email", FieldFormat, "must be an e-mail address")
	case in.Phone != "" && !ValidPhone(in.Phone):
		f.Add("phone", FieldFormat, "must be a mainland mobile number (11 digits starting with 1)")
	}
	optionalText(&f, "name", in.Name, MaxShortRunes)
	if !in.Role.Valid() || in.Role == RoleAdmin {
		f.Add("role", FieldUnknown, "must be one of sme, enterprise, investor, institution, organizer")
	}
	if err := ValidatePassword("password", in.Password); err != nil {
		f = append(f, err.(*Error).Fields...)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return s.createUser(ctx, in, "")
}

func (s *Service) createUser(ctx context.Context, in RegisterInput, scope string) (*User, error) {
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{ID: NewID(), Email: strings.ToLower(in.Email), Phone: in.Phone, Name: cleanText(in.Name),
		PasswordHash: hash, Role: in.Role, RegionScope: scope, CreatedAt: now, UpdatedAt: now}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// CreateAdmin makes an admin account, optionally scoped to a region code.
func (s *Service) CreateAdmin(ctx context.Context, email, password, scope string) (*User, error) {
	var f Fields
	if !ValidEmail(email) {
		f.Add("email", FieldFormat, "must be an e-mail address")
	}
	if err := ValidatePassword("password", password); err != nil {
		f = append(f, err.(*Error).Fields...)
	}
	regionCode(&f, "regionScope", scope)
	if err := f.Err(); err != nil {
		return nil, err
	}
	return s.createUser(ctx, RegisterInput{Email: email, Password: password, Role: RoleAdmin}, scope)
}

// dummyHash is checked against when a login names no account, so that the
// answer takes as long as for a wrong password.
var dummyHash, _ = HashPassword("not-a-real-password-0")

// Login checks a login (e-mail or phone) and password. It returns
// EUNAUTHORIZED without saying which part was wrong.
func (s *Service) Login(ctx context.Context, login, password string) (*User, error) {
	login = strings.TrimSpace(FoldWidth(login))
	bad := Errorf(EUNAUTHORIZED, "wrong login or password")
	if login == "" || len(login) > 254 || len(password) > 4*MaxPasswordRunes {
		return nil, bad
	}
	u, err := s.Store.FindUserByLogin(ctx, login)
	if ErrorCode(err) == ENOTFOUND {
		CheckPassword(dummyHash, password)
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	if !CheckPassword(u.PasswordHash, password) || u.Disabled {
		return nil, bad
	}
	return u, nil
}

// IssueRefreshToken starts a login family (or continues one) and returns the
// opaque token to hand to the client.
func (s *Service) IssueRefreshToken(ctx context.Context, userID, family string) (string, error) {
	token := NewSecret(32)
	if family == "" {
		family = NewID()
	}
	now := s.now()
	t := &RefreshToken{Hash: HashToken(token), Family: family, UserID: userID, CreatedAt: now, ExpiresAt: now.Add(s.Config.RefreshTTL)}
	if err := s.Store.CreateRefreshToken(ctx, t); err != nil {
		return "", err
	}
	return token, nil
}

// Refresh rotates a refresh token: it returns the user and a new token of the
// same login. A token presented a second time revokes the whole login.
func (s *Service) Refresh(ctx context.Context, token string) (*User, string, error) {
	bad := Errorf(EUNAUTHORIZED, "the session has ended; log in again")
	if token == "" || len(token) > 200 {
		return nil, "", bad
	}
	now := s.now()
	t, err := s.Store.UseRefreshToken(ctx, HashToken(token), now)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		return nil, "", bad
	case ECONFLICT:
		if t != nil && t.RevokedAt == nil {
			s.Log.WarnContext(ctx, "refresh token reused; revoking the login", "user", t.UserID, "family", t.Family)
		}
		if t != nil {
			if err := s.Store.RevokeTokenFamily(ctx, t.Family, now); err != nil {
				return nil, "", err
			}
		}
		return nil, "", bad
	default:
		return nil, "", err
	}
	if now.After(t.ExpiresAt) {
		return nil, "", bad
	}
	u, err := s.Store.FindUser(ctx, t.UserID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && u.Disabled) {
		return nil, "", bad
	} else if err != nil {
		return nil, "", err
	}
	next, err := s.IssueRefreshToken(ctx, u.ID, t.Family)
	if err != nil {
		return nil, "", err
	}
	return u, next, nil
}

// Logout ends the login that a refresh token belongs to.
func (s *Service) Logout(ctx context.Context, token string) error {
	t, err := s.Store.UseRefreshToken(ctx, HashToken(token), s.now())
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if t == nil {
		return err
	}
	return s.Store.RevokeTokenFamily(ctx, t.Family, s.now())
}

// Me returns the actor's account.
func (s *Service) Me(ctx context.Context, a *Actor) (*User, error) {
	if a == nil || a.UserID == "" {
		return nil, Errorf(EUNAUTHORIZED, "log in first")
	}
	return s.Store.FindUser(ctx, a.UserID)
}

// ChangePassword sets a new password after checking the old one, and ends
// every other login of the account.
func (s *Service) ChangePassword(ctx context.Context, a *Actor, oldPW, newPW string) error {
	u, err := s.Me(ctx, a)
	if err != nil {
		return err
	}
	if !CheckPassword(u.PasswordHash, oldPW) {
		return Invalid("oldPassword", FieldFormat, "is not the current password")
	}
	if err := ValidatePassword("newPassword", newPW); err != nil {
		return err
	}
	if u.PasswordHash, err = HashPassword(newPW); err != nil {
		return err
	}
	u.UpdatedAt = s.now()
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return err
	}
	return s.Store.RevokeUserTokens(ctx, u.ID, s.now())
}
