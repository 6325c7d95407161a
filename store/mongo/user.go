package mongo

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/rongtong/rongtong/app"
)

// userDoc is a user as stored: the user plus a lower-cased copy of the e-mail
// address, which logins match and a unique index guards, so that addresses
// differing only in case are one login.
type userDoc struct {
	app.User   `bson:",inline"`
	EmailLower string `bson:"emailLower,omitempty"`
}

func newUserDoc(u *app.User) userDoc {
	u.CreatedAt = msTime(u.CreatedAt)
	u.UpdatedAt = msTime(u.UpdatedAt)
	return userDoc{User: *u, EmailLower: strings.ToLower(u.Email)}
}

func (d userDoc) uniqueValues() map[string]string {
	return map[string]string{"emailLower": d.EmailLower, "phone": d.Phone}
}

// CreateUser returns ECONFLICT (field email or phone) if the login is taken.
func (s *Store) CreateUser(ctx context.Context, u *app.User) error {
	if u.ID == "" {
		u.ID = app.NewID()
	}
	d := newUserDoc(u)
	if _, err := s.users.InsertOne(ctx, d); err != nil {
		return s.writeError(ctx, s.users, "create user", u.ID, userKeys, d.uniqueValues(), err)
	}
	return nil
}

// FindUser returns ENOTFOUND if no user has the ID.
func (s *Store) FindUser(ctx context.Context, id string) (*app.User, error) {
	if !app.ValidID(id) {
		return nil, notFound("user")
	}
	return s.findUser(ctx, byID(id))
}

func (s *Store) findUser(ctx context.Context, filter bson.D) (*app.User, error) {
	var d userDoc
	err := s.users.FindOne(ctx, filter).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("mongo: find user: %w", err)
	}
	return &d.User, nil
}

// FindUserByLogin finds a user by e-mail (case-insensitive) or phone;
// ENOTFOUND if none.
func (s *Store) FindUserByLogin(ctx context.Context, login string) (*app.User, error) {
	if login == "" {
		return nil, notFound("user")
	}
	if strings.Contains(login, "@") {
		return s.findUser(ctx, eq("emailLower", strings.ToLower(login)))
	}
	return s.findUser(ctx, eq("phone", login))
}

// UpdateUser replaces a user; ENOTFOUND if missing, ECONFLICT if the login is taken.
func (s *Store) UpdateUser(ctx context.Context, u *app.User) error {
	if !app.ValidID(u.ID) {
		return notFound("user")
	}
	d := newUserDoc(u)
	res, err := s.users.ReplaceOne(ctx, byID(u.ID), d)
	if err != nil {
		return s.writeError(ctx, s.users, "update user", u.ID, userKeys, d.uniqueValues(), err)
	}
	if res.MatchedCount == 0 {
		return notFound("user")
	}
	return nil
}

// ListUsers returns users in ID order.
func (s *Store) ListUsers(ctx context.Context, f app.UserFilter, p app.Page) ([]*app.User, error) {
	var conds []bson.D
	if f.OrgID != "" {
		conds = append(conds, eq("orgId", f.OrgID))
	}
	if f.Role != "" {
		conds = append(conds, eq("role", f.Role))
	}
	if f.Query != "" {
		conds = append(conds, bson.D{{Key: "$or", Value: bson.A{
			eq("emailLower", bson.Regex{Pattern: "^" + regexp.QuoteMeta(strings.ToLower(f.Query))}),
			eq("phone", bson.Regex{Pattern: "^" + regexp.QuoteMeta(f.Query)}),
		}}})
	}
	if p.After != "" {
		conds = append(conds, cmp("_id", "$gt", p.After))
	}
	var docs []userDoc
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(pageLimit(p))
	if err := findAll(ctx, s.users, and(conds), &docs, opts); err != nil {
		return nil, fmt.Errorf("mongo: list users: %w", err)
	}
	out := make([]*app.User, len(docs))
	for i := range docs {
		out[i] = &docs[i].User
	}
	return out, nil
}

// CountUsers counts all users.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	n, err := s.users.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("mongo: count users: %w", err)
	}
	return int(n), nil
}

// CreateInvite stores an invitation code; ECONFLICT (field code) if it exists.
func (s *Store) CreateInvite(ctx context.Context, inv *app.Invite) error {
	inv.CreatedAt = msTime(inv.CreatedAt)
	inv.ExpiresAt = msTime(inv.ExpiresAt)
	if _, err := s.invites.InsertOne(ctx, inv); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("%w: %w", conflictError("code", "is already used by another invitation"), err)
		}
		return fmt.Errorf("mongo: create invite: %w", err)
	}
	return nil
}

// FindInvite returns ENOTFOUND for an unknown code.
func (s *Store) FindInvite(ctx context.Context, code string) (*app.Invite, error) {
	if code == "" {
		return nil, notFound("invitation")
	}
	var inv app.Invite
	err := s.invites.FindOne(ctx, byID(code)).Decode(&inv)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound("invitation")
	}
	if err != nil {
		return nil, fmt.Errorf("mongo: find invite: %w", err)
	}
	return &inv, nil
}

// CreateRefreshToken stores a new token; ECONFLICT if its hash exists.
func (s *Store) CreateRefreshToken(ctx context.Context, t *app.RefreshToken) error {
	t.CreatedAt = msTime(t.CreatedAt)
	t.ExpiresAt = msTime(t.ExpiresAt)
	msTimePtr(&t.UsedAt)
	msTimePtr(&t.RevokedAt)
	if _, err := s.tokens.InsertOne(ctx, t); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("%w: %w", app.Errorf(app.ECONFLICT, "refresh token exists"), err)
		}
		return fmt.Errorf("mongo: create refresh token: %w", err)
	}
	return nil
}

// UseRefreshToken atomically marks the token with this hash used at now and
// returns it as it was before. It returns ENOTFOUND for an unknown hash and
// ECONFLICT (with the token) if it was already used or revoked.
func (s *Store) UseRefreshToken(ctx context.Context, hash string, now time.Time) (*app.RefreshToken, error) {
	if hash == "" {
		return nil, notFound("refresh token")
	}
	unlock := s.lockRMW()
	defer unlock()
	var t app.RefreshToken
	// {field: null} matches a missing field too.
	filter := bson.D{{Key: "_id", Value: hash}, {Key: "usedAt", Value: nil}, {Key: "revokedAt", Value: nil}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "usedAt", Value: msTime(now)}}}}
	err := s.tokens.FindOneAndUpdate(ctx, filter, update,
		options.FindOneAndUpdate().SetReturnDocument(options.Before)).Decode(&t)
	if err == nil {
		return &t, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("mongo: use refresh token: %w", err)
	}
	err = s.tokens.FindOne(ctx, byID(hash)).Decode(&t)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound("refresh token")
	}
	if err != nil {
		return nil, fmt.Errorf("mongo: use refresh token: %w", err)
	}
	return &t, app.Errorf(app.ECONFLICT, "refresh token already used or revoked")
}

// RevokeTokenFamily revokes every token of a login.
func (s *Store) RevokeTokenFamily(ctx context.Context, family string, now time.Time) error {
	if family == "" {
		return nil
	}
	return s.revokeTokens(ctx, "family", family, now)
}

// RevokeUserTokens revokes every token of a user.
func (s *Store) RevokeUserTokens(ctx context.Context, userID string, now time.Time) error {
	if userID == "" {
		return nil
	}
	return s.revokeTokens(ctx, "userId", userID, now)
}

func (s *Store) revokeTokens(ctx context.Context, field, value string, now time.Time) error {
	filter := bson.D{{Key: field, Value: value}, {Key: "revokedAt", Value: nil}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "revokedAt", Value: msTime(now)}}}}
	if _, err := s.tokens.UpdateMany(ctx, filter, update); err != nil {
		return fmt.Errorf("mongo: revoke tokens by %s: %w", field, err)
	}
	return nil
}
