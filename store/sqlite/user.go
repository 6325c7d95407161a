package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rongtong/rongtong/app"
)

const userCols = `doc, password_hash`

func scanUser(scan func(...any) error) (*app.User, error) {
	var (
		doc  []byte
		hash string
	)
	if err := scan(&doc, &hash); err != nil {
		return nil, err
	}
	u := new(app.User)
	if err := json.Unmarshal(doc, u); err != nil {
		return nil, fmt.Errorf("sqlite: decode user: %w", err)
	}
	u.PasswordHash = hash
	return u, nil
}

// emailKey is what e-mail logins are unique and found by: the address in
// lower case, since people type their address in any case.
func emailKey(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

func userRow(u *app.User) ([]any, error) {
	doc, err := json.Marshal(u)
	if err != nil {
		return nil, fmt.Errorf("sqlite: encode user: %w", err)
	}
	return []any{nullStr(emailKey(u.Email)), nullStr(u.Phone), nullStr(u.OrgID), string(u.Role), u.PasswordHash, string(doc), u.ID}, nil
}

// CreateUser stores a new account. An empty ID is filled with a new one. It
// returns ECONFLICT (field email or phone) if the login is taken; e-mail
// addresses differing only in case are the same login.
func (s *Store) CreateUser(ctx context.Context, u *app.User) error {
	if u.ID == "" {
		u.ID = app.NewID()
	}
	if err := checkID(u.ID); err != nil {
		return err
	}
	row, err := userRow(u)
	if err != nil {
		return err
	}
	return s.write(ctx, func(w *wtx) error {
		_, err := w.exec(`INSERT INTO users (email_key, phone, org_id, role, password_hash, doc, id) VALUES (?, ?, ?, ?, ?, ?, ?)`, row...)
		return err
	})
}

// FindUser returns ENOTFOUND if no user has the ID.
func (s *Store) FindUser(ctx context.Context, id string) (*app.User, error) {
	if !app.ValidID(id) {
		return nil, notFound("user")
	}
	return s.findUser(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id)
}

// FindUserByLogin finds a user by e-mail (case-insensitive) or phone;
// ENOTFOUND if none.
func (s *Store) FindUserByLogin(ctx context.Context, login string) (*app.User, error) {
	login = strings.TrimSpace(login)
	if login == "" {
		return nil, notFound("user")
	}
	if strings.Contains(login, "@") {
		return s.findUser(ctx, `SELECT `+userCols+` FROM users WHERE email_key = ?`, emailKey(login))
	}
	return s.findUser(ctx, `SELECT `+userCols+` FROM users WHERE phone = ?`, login)
}

func (s *Store) findUser(ctx context.Context, query, arg string) (*app.User, error) {
	row, err := s.queryRow(ctx, query, arg)
	if err != nil {
		return nil, err
	}
	u, err := scanUser(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user")
	}
	return u, translate(err)
}

// UpdateUser replaces a user; ENOTFOUND if missing, ECONFLICT if the login is taken.
func (s *Store) UpdateUser(ctx context.Context, u *app.User) error {
	if !app.ValidID(u.ID) {
		return notFound("user")
	}
	row, err := userRow(u)
	if err != nil {
		return err
	}
	return s.write(ctx, func(w *wtx) error {
		res, err := w.exec(`UPDATE users SET email_key = ?, phone = ?, org_id = ?, role = ?, password_hash = ?, doc = ? WHERE id = ?`, row...)
		if err != nil {
			return err
		}
		return mustAffect(res, "user")
	})
}

// mustAffect returns ENOTFOUND if a statement changed no row.
func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

// ListUsers returns users in ID order.
func (s *Store) ListUsers(ctx context.Context, f app.UserFilter, p app.Page) ([]*app.User, error) {
	w := &where{}
	if f.OrgID != "" {
		w.add("org_id = ?", f.OrgID)
	}
	if f.Role != "" {
		w.add("role = ?", string(f.Role))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add("(email_key GLOB ? OR phone GLOB ?)", globPrefix(emailKey(q)), globPrefix(q))
	}
	if p.After != "" {
		w.add("id > ?", p.After)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+userCols+` FROM users`+w.sql()+` ORDER BY id LIMIT `+strconv.Itoa(pageLimit(p)), w.args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var us []*app.User
	for rows.Next() {
		u, err := scanUser(rows.Scan)
		if err != nil {
			return nil, translate(err)
		}
		us = append(us, u)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return us, nil
}

// globPrefix returns a GLOB pattern matching strings that start with p: its
// wildcard characters are bracketed so they match only themselves.
func globPrefix(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '*', '?', '[':
			b.WriteByte('[')
			b.WriteRune(r)
			b.WriteByte(']')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('*')
	return b.String()
}

// CountUsers counts all users.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	row, err := s.queryRow(ctx, `SELECT count(*) FROM users`)
	if err != nil {
		return 0, err
	}
	var n int
	if err := row.Scan(&n); err != nil {
		return 0, translate(err)
	}
	return n, nil
}

// CreateInvite stores an invitation code; ECONFLICT (field code) if it exists.
func (s *Store) CreateInvite(ctx context.Context, inv *app.Invite) error {
	if inv.Code == "" {
		return app.Invalid("code", app.FieldRequired, "is required")
	}
	doc, err := json.Marshal(inv)
	if err != nil {
		return fmt.Errorf("sqlite: encode invite: %w", err)
	}
	return s.write(ctx, func(w *wtx) error {
		_, err := w.exec(`INSERT INTO invites (code, org_id, doc) VALUES (?, ?, ?)`, inv.Code, inv.OrgID, string(doc))
		return err
	})
}

// FindInvite returns ENOTFOUND for an unknown code.
func (s *Store) FindInvite(ctx context.Context, code string) (*app.Invite, error) {
	row, err := s.queryRow(ctx, `SELECT doc FROM invites WHERE code = ?`, code)
	if err != nil {
		return nil, err
	}
	var doc []byte
	if err := row.Scan(&doc); errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("invitation")
	} else if err != nil {
		return nil, translate(err)
	}
	inv := new(app.Invite)
	if err := json.Unmarshal(doc, inv); err != nil {
		return nil, fmt.Errorf("sqlite: decode invite: %w", err)
	}
	return inv, nil
}

const tokenCols = `hash, family, user_id, created_at, expires_at, used_at, revoked_at`

func scanToken(scan func(...any) error) (*app.RefreshToken, error) {
	var (
		t                 app.RefreshToken
		created, expires  string
		usedAt, revokedAt sql.NullString
		err               error
	)
	if err := scan(&t.Hash, &t.Family, &t.UserID, &created, &expires, &usedAt, &revokedAt); err != nil {
		return nil, err
	}
	if t.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if t.ExpiresAt, err = parseTime(expires); err != nil {
		return nil, err
	}
	if t.UsedAt, err = parseNullTime(usedAt); err != nil {
		return nil, err
	}
	if t.RevokedAt, err = parseNullTime(revokedAt); err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateRefreshToken stores a new token; ECONFLICT (field hash) if its hash exists.
func (s *Store) CreateRefreshToken(ctx context.Context, t *app.RefreshToken) error {
	if t.Hash == "" {
		return app.Invalid("hash", app.FieldRequired, "is required")
	}
	return s.write(ctx, func(w *wtx) error {
		_, err := w.exec(`INSERT INTO refresh_tokens (`+tokenCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.Hash, t.Family, t.UserID, timeText(t.CreatedAt), timeText(t.ExpiresAt), nullTime(t.UsedAt), nullTime(t.RevokedAt))
		return err
	})
}

// UseRefreshToken atomically marks the token with this hash used at now and
// returns it as it was before. It returns ENOTFOUND for an unknown hash and
// ECONFLICT, with the token, if it was already used or revoked.
func (s *Store) UseRefreshToken(ctx context.Context, hash string, now time.Time) (*app.RefreshToken, error) {
	var t *app.RefreshToken
	var spent bool
	err := s.write(ctx, func(w *wtx) error {
		row, err := w.queryRow(`SELECT `+tokenCols+` FROM refresh_tokens WHERE hash = ?`, hash)
		if err != nil {
			return err
		}
		t, err = scanToken(row.Scan)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("refresh token")
		} else if err != nil {
			return err
		}
		if t.UsedAt != nil || t.RevokedAt != nil {
			spent = true
			return nil
		}
		// The condition repeats the check above, so the update cannot mark a
		// token twice even if writes were ever not serialised.
		res, err := w.exec(`UPDATE refresh_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL AND revoked_at IS NULL`, timeText(now), hash)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		spent = n != 1
		return nil
	})
	if err != nil {
		return nil, err
	}
	if spent {
		return t, app.Errorf(app.ECONFLICT, "refresh token already used or revoked")
	}
	return t, nil
}

// RevokeTokenFamily revokes every token of a login that is not revoked yet.
func (s *Store) RevokeTokenFamily(ctx context.Context, family string, now time.Time) error {
	return s.write(ctx, func(w *wtx) error {
		_, err := w.exec(`UPDATE refresh_tokens SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL`, timeText(now), family)
		return err
	})
}

// RevokeUserTokens revokes every token of a user that is not revoked yet.
func (s *Store) RevokeUserTokens(ctx context.Context, userID string, now time.Time) error {
	return s.write(ctx, func(w *wtx) error {
		_, err := w.exec(`UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, timeText(now), userID)
		return err
	})
}

// CreateImportRun stores an import's report. An empty ID is filled with a new one.
func (s *Store) CreateImportRun(ctx context.Context, r *app.ImportRun) error {
	if r.ID == "" {
		r.ID = app.NewID()
	}
	if err := checkID(r.ID); err != nil {
		return err
	}
	doc, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("sqlite: encode import run: %w", err)
	}
	return s.write(ctx, func(w *wtx) error {
		_, err := w.exec(`INSERT INTO import_runs (id, doc) VALUES (?, ?)`, r.ID, string(doc))
		return err
	})
}

// ListImportRuns returns reports newest (highest ID) first; p.After is the
// last ID of the previous page.
func (s *Store) ListImportRuns(ctx context.Context, p app.Page) ([]*app.ImportRun, error) {
	w := &where{}
	if p.After != "" {
		w.add("id < ?", p.After)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT doc FROM import_runs`+w.sql()+` ORDER BY id DESC LIMIT `+strconv.Itoa(pageLimit(p)), w.args...)
	if err != nil {
		return nil, translate(err)
	}
	return scanDocs[app.ImportRun](rows, "import run")
}

// FindImportRun returns ENOTFOUND if missing.
func (s *Store) FindImportRun(ctx context.Context, id string) (*app.ImportRun, error) {
	if !app.ValidID(id) {
		return nil, notFound("import run")
	}
	row, err := s.queryRow(ctx, `SELECT doc FROM import_runs WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	var doc []byte
	if err := row.Scan(&doc); errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("import run")
	} else if err != nil {
		return nil, translate(err)
	}
	r := new(app.ImportRun)
	if err := json.Unmarshal(doc, r); err != nil {
		return nil, fmt.Errorf("sqlite: decode import run: %w", err)
	}
	return r, nil
}
