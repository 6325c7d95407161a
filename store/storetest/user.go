package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

func testPing(t *testing.T, s app.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if n := MustLastSeq(t, s); n != 0 {
		t.Errorf("LastSeq of an empty store = %d, want 0", n)
	}
	cs, err := s.Changes(t.Context(), 0, 10)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	if len(cs) != 0 {
		t.Errorf("Changes of an empty store = %v, want none", cs)
	}
}

func testUserCreateFind(t *testing.T, s app.Store) {
	ctx := t.Context()
	u := newUser("")
	u.Email, u.Phone, u.Name = "Li.Wei@Example.COM", "13800138000", "李伟"
	MustCreateUser(t, s, u)

	got, err := s.FindUser(ctx, u.ID)
	if err != nil {
		t.Fatalf("FindUser: %v", err)
	}
	checkUser(t, got, u)

	for _, login := range []string{"Li.Wei@Example.COM", "li.wei@example.com", "LI.WEI@EXAMPLE.COM", "13800138000"} {
		got, err := s.FindUserByLogin(ctx, login)
		if err != nil {
			t.Fatalf("FindUserByLogin(%q): %v", login, err)
		}
		checkUser(t, got, u)
	}
	for _, login := range []string{"nobody@example.com", "13900000000", "li.wei", ""} {
		_, err := s.FindUserByLogin(ctx, login)
		WantError(t, err, app.ENOTFOUND, "")
	}
	_, err = s.FindUser(ctx, app.NewID())
	WantError(t, err, app.ENOTFOUND, "")
	_, err = s.FindUser(ctx, "not-an-id")
	WantError(t, err, app.ENOTFOUND, "")
}

func testUserConflicts(t *testing.T, s app.Store) {
	ctx := t.Context()
	a := newUser("")
	a.Email = "a@example.com"
	MustCreateUser(t, s, a)

	dupEmail := newUser("")
	dupEmail.Email = "A@Example.com" // the same login in another case
	WantError(t, s.CreateUser(ctx, dupEmail), app.ECONFLICT, "email")

	dupPhone := newUser("")
	dupPhone.Phone = a.Phone
	WantError(t, s.CreateUser(ctx, dupPhone), app.ECONFLICT, "phone")

	// Logins that are not given do not collide.
	for range 2 {
		u := newUser("")
		u.Email = ""
		MustCreateUser(t, s, u)
	}
	for range 2 {
		u := newUser("")
		u.Phone = ""
		MustCreateUser(t, s, u)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 5 {
		t.Fatalf("CountUsers = %d, %v; want 5", n, err)
	}

	b := MustCreateUser(t, s, newUser(""))
	b.Email = "a@EXAMPLE.com"
	WantError(t, s.UpdateUser(ctx, b), app.ECONFLICT, "email")
	b = MustFindUser(t, s, b.ID)
	b.Phone = a.Phone
	WantError(t, s.UpdateUser(ctx, b), app.ECONFLICT, "phone")

	missing := newUser("")
	WantError(t, s.UpdateUser(ctx, missing), app.ENOTFOUND, "")
}

func testUserUpdate(t *testing.T, s app.Store) {
	ctx := t.Context()
	u := MustCreateUser(t, s, newUser(""))
	oldEmail := u.Email
	org := app.NewID()
	u.Email, u.Name, u.OrgID, u.OrgRole = "new.address@example.com", "王五", org, app.MemberOwner
	u.PasswordHash, u.Disabled, u.UpdatedAt = "$argon2id$new", true, t0.Add(time.Minute)
	if err := s.UpdateUser(ctx, u); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	checkUser(t, MustFindUser(t, s, u.ID), u)
	got, err := s.FindUserByLogin(ctx, "NEW.address@example.com")
	if err != nil {
		t.Fatalf("FindUserByLogin(new address): %v", err)
	}
	checkUser(t, got, u)
	_, err = s.FindUserByLogin(ctx, oldEmail)
	WantError(t, err, app.ENOTFOUND, "")
	// The old address is free again.
	v := newUser("")
	v.Email = oldEmail
	MustCreateUser(t, s, v)
}

func testUserList(t *testing.T, s app.Store) {
	ctx := t.Context()
	orgA, orgB := app.NewID(), app.NewID()
	mk := func(org, email, phone string, role app.Role) *app.User {
		u := newUser(org)
		u.Email, u.Phone, u.Role = email, phone, role
		return MustCreateUser(t, s, u)
	}
	li := mk(orgA, "li.ming@example.com", "13811110001", app.RoleSME)
	lin := mk(orgA, "Lin.Na@example.com", "13811110002", app.RoleSME)
	wu := mk(orgB, "wu@example.com", "13922220003", app.RoleEnterprise)
	star := mk("", "a*b@example.com", "", app.RoleAdmin)
	zhao := mk(orgB, "", "13811110005", app.RoleEnterprise)

	tests := []struct {
		name string
		f    app.UserFilter
		want []*app.User
	}{
		{"all", app.UserFilter{}, []*app.User{li, lin, wu, star, zhao}},
		{"org", app.UserFilter{OrgID: orgA}, []*app.User{li, lin}},
		{"role", app.UserFilter{Role: app.RoleEnterprise}, []*app.User{wu, zhao}},
		{"org and role", app.UserFilter{OrgID: orgB, Role: app.RoleSME}, nil},
		{"email prefix", app.UserFilter{Query: "li"}, []*app.User{li, lin}},
		{"email prefix in another case", app.UserFilter{Query: "LIN."}, []*app.User{lin}},
		{"dot taken literally", app.UserFilter{Query: "li."}, []*app.User{li}},
		{"phone prefix", app.UserFilter{Query: "1381111"}, []*app.User{li, lin, zhao}},
		{"wildcard taken literally", app.UserFilter{Query: "a*"}, []*app.User{star}},
		{"pattern characters taken literally", app.UserFilter{Query: "%"}, nil},
		{"no match", app.UserFilter{Query: "nobody"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ListUsers(ctx, tt.f, app.Page{Limit: app.MaxPageLimit})
			if err != nil {
				t.Fatalf("ListUsers: %v", err)
			}
			if g, w := ids(got, userID), sortedIDs(tt.want, userID); !slices.Equal(g, w) {
				t.Errorf("got %v, want %v", g, w)
			}
		})
	}

	var all []string
	p := app.Page{Limit: 2}
	for range 10 {
		us, err := s.ListUsers(ctx, app.UserFilter{}, p)
		if err != nil {
			t.Fatalf("ListUsers(%+v): %v", p, err)
		}
		if len(us) > 2 {
			t.Fatalf("ListUsers(%+v) returned %d users", p, len(us))
		}
		all = append(all, ids(us, userID)...)
		if len(us) < p.Limit {
			break
		}
		p.After = us[len(us)-1].ID
	}
	if w := sortedIDs([]*app.User{li, lin, wu, star, zhao}, userID); !slices.Equal(all, w) {
		t.Errorf("pages of 2: got %v, want %v", all, w)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 5 {
		t.Errorf("CountUsers = %d, %v; want 5", n, err)
	}
}

func testInvites(t *testing.T, s app.Store) {
	ctx := t.Context()
	inv := &app.Invite{Code: "Xk3-9fQ_2bLm", OrgID: app.NewID(), CreatedBy: app.NewID(), CreatedAt: t0, ExpiresAt: t0.Add(7 * 24 * time.Hour)}
	if err := s.CreateInvite(ctx, inv); err != nil {
		t.Fatalf("CreateInvite: %v", err)
	}
	got, err := s.FindInvite(ctx, inv.Code)
	if err != nil {
		t.Fatalf("FindInvite: %v", err)
	}
	if g, w := mustJSON(t, got), mustJSON(t, inv); string(g) != string(w) {
		t.Errorf("FindInvite:\n got  %s\n want %s", g, w)
	}
	_, err = s.FindInvite(ctx, "xk3-9fq_2blm") // codes are case-sensitive
	WantError(t, err, app.ENOTFOUND, "")
	_, err = s.FindInvite(ctx, "unknown")
	WantError(t, err, app.ENOTFOUND, "")
}

func testImportRuns(t *testing.T, s app.Store) {
	ctx := t.Context()
	var runs []*app.ImportRun
	for i := range 5 {
		r := &app.ImportRun{
			ID:         app.NewID(), // IDs increase, so runs[4] is the newest
			UserID:     app.NewID(),
			Source:     "企业名录-2025.xlsx",
			StartedAt:  t0.Add(time.Duration(i) * time.Hour),
			FinishedAt: t0.Add(time.Duration(i)*time.Hour + time.Minute),
			Counts:     app.ImportCounts{Lines: 10, Created: 7, Updated: 1, Unchanged: 1, Failed: 1},
			Errors:     []app.ImportError{{Line: 4, Ref: "ORG-004", Field: "uscc", Code: app.FieldFormat, Message: "不是有效的统一社会信用代码"}},
		}
		if i == 0 {
			r.Errors = []app.ImportError{}
		}
		if err := s.CreateImportRun(ctx, r); err != nil {
			t.Fatalf("CreateImportRun: %v", err)
		}
		runs = append(runs, r)
	}
	for _, r := range runs {
		got, err := s.FindImportRun(ctx, r.ID)
		if err != nil {
			t.Fatalf("FindImportRun: %v", err)
		}
		if g, w := mustJSON(t, got), mustJSON(t, r); string(g) != string(w) {
			t.Errorf("FindImportRun:\n got  %s\n want %s", g, w)
		}
	}
	_, err := s.FindImportRun(ctx, app.NewID())
	WantError(t, err, app.ENOTFOUND, "")

	var got []string
	p := app.Page{Limit: 2}
	for range 5 {
		rs, err := s.ListImportRuns(ctx, p)
		if err != nil {
			t.Fatalf("ListImportRuns(%+v): %v", p, err)
		}
		for _, r := range rs {
			got = append(got, r.ID)
		}
		if len(rs) < p.Limit {
			break
		}
		p.After = rs[len(rs)-1].ID
	}
	want := []string{runs[4].ID, runs[3].ID, runs[2].ID, runs[1].ID, runs[0].ID}
	if !slices.Equal(got, want) {
		t.Errorf("ListImportRuns, pages of 2: got %v, want newest first %v", got, want)
	}
}

func newToken(hash, family, userID string) *app.RefreshToken {
	return &app.RefreshToken{Hash: hash, Family: family, UserID: userID, CreatedAt: t0, ExpiresAt: t0.Add(30 * 24 * time.Hour)}
}

func checkToken(tb testing.TB, got, want *app.RefreshToken) {
	tb.Helper()
	if got == nil {
		tb.Fatalf("got no token, want %s", want.Hash)
	}
	eqTime := func(a, b *time.Time) bool { return a == nil && b == nil || a != nil && b != nil && a.Equal(*b) }
	if got.Hash != want.Hash || got.Family != want.Family || got.UserID != want.UserID ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.ExpiresAt.Equal(want.ExpiresAt) ||
		!eqTime(got.UsedAt, want.UsedAt) || !eqTime(got.RevokedAt, want.RevokedAt) {
		tb.Errorf("token:\n got  %+v (used %v, revoked %v)\n want %+v (used %v, revoked %v)",
			*got, got.UsedAt, got.RevokedAt, *want, want.UsedAt, want.RevokedAt)
	}
}

func testTokenUse(t *testing.T, s app.Store) {
	ctx := t.Context()
	user := app.NewID()
	tok := MustCreateRefreshToken(t, s, newToken("3f1a9c", "fam-1", user))
	now := t0.Add(time.Hour)

	got, err := s.UseRefreshToken(ctx, tok.Hash, now)
	if err != nil {
		t.Fatalf("first UseRefreshToken: %v", err)
	}
	checkToken(t, got, tok) // as it was before: unused

	later := now.Add(time.Minute)
	got, err = s.UseRefreshToken(ctx, tok.Hash, later)
	WantError(t, err, app.ECONFLICT, "")
	used := *tok
	used.UsedAt = &now
	checkToken(t, got, &used)

	_, err = s.UseRefreshToken(ctx, "unknown", now)
	WantError(t, err, app.ENOTFOUND, "")
}

func testTokenRevoke(t *testing.T, s app.Store) {
	ctx := t.Context()
	u, v := app.NewID(), app.NewID()
	a1 := MustCreateRefreshToken(t, s, newToken("a1", "fam-a", u))
	a2 := MustCreateRefreshToken(t, s, newToken("a2", "fam-a", u))
	b1 := MustCreateRefreshToken(t, s, newToken("b1", "fam-b", u))
	c1 := MustCreateRefreshToken(t, s, newToken("c1", "fam-c", v))
	now := t0.Add(time.Hour)

	if err := s.RevokeTokenFamily(ctx, "fam-a", now); err != nil {
		t.Fatalf("RevokeTokenFamily: %v", err)
	}
	for _, tok := range []*app.RefreshToken{a1, a2} {
		got, err := s.UseRefreshToken(ctx, tok.Hash, now.Add(time.Minute))
		WantError(t, err, app.ECONFLICT, "")
		want := *tok
		want.RevokedAt = &now
		checkToken(t, got, &want)
	}
	// Another family of the same user is untouched.
	if _, err := s.UseRefreshToken(ctx, b1.Hash, now); err != nil {
		t.Fatalf("UseRefreshToken(other family): %v", err)
	}

	b2 := MustCreateRefreshToken(t, s, newToken("b2", "fam-b", u))
	later := now.Add(time.Hour)
	if err := s.RevokeUserTokens(ctx, u, later); err != nil {
		t.Fatalf("RevokeUserTokens: %v", err)
	}
	got, err := s.UseRefreshToken(ctx, b2.Hash, later)
	WantError(t, err, app.ECONFLICT, "")
	if got == nil || got.RevokedAt == nil || !got.RevokedAt.Equal(later) {
		t.Errorf("token after RevokeUserTokens: %+v, want revoked at %v", got, later)
	}
	// Another user's tokens are untouched.
	if _, err := s.UseRefreshToken(ctx, c1.Hash, later); err != nil {
		t.Fatalf("UseRefreshToken(other user): %v", err)
	}
}

func testTokenConcurrent(t *testing.T, s app.Store) {
	ctx := t.Context()
	tok := MustCreateRefreshToken(t, s, newToken("race", "fam-race", app.NewID()))
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = s.UseRefreshToken(ctx, tok.Hash, t0.Add(time.Duration(i)*time.Second))
		})
	}
	close(start)
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch app.ErrorCode(err) {
		case "":
			wins++
		case app.ECONFLICT:
		default:
			t.Errorf("UseRefreshToken: %v, want nil or ECONFLICT", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d of %d concurrent uses succeeded, want exactly 1", wins, n)
	}
}
