package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/demo"
)

// offline opens the store for a command-line tool. With exclusive it holds
// the data dir lock, so that no running server shares the store and index
// it writes; without, it only writes records the index does not hold (users),
// which the store's own locking keeps safe beside a running server.
func offline(ctx context.Context, cfgPath string, getenv func(string) string, exclusive bool) (*app.Service, func(), error) {
	c, err := LoadConfig(cfgPath, getenv)
	if err != nil {
		return nil, nil, err
	}
	var lock *dataLock
	if exclusive {
		if lock, err = lockDataDir(c.DataDir); err != nil {
			return nil, nil, err
		}
	}
	store, err := openStore(ctx, c)
	if err != nil {
		lock.Release()
		return nil, nil, fmt.Errorf("store: %w", err)
	}
	svc := app.NewService(store, nil, newLogger(c, os.Stderr))
	return svc, func() {
		if err := store.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "rongtong: close store:", err)
		}
		lock.Release()
	}, nil
}

func cmdImport(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error {
	fs, cfgPath := newFlags("import")
	verbose := fs.Bool("progress", false, "print each committed batch to stderr")
	batch := fs.Int("batch", 0, "records per store transaction (default 1000)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: rongtong import [--config FILE] FILE.jsonl")
	}
	in := stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	svc, done, err := offline(ctx, *cfgPath, getenv, true)
	if err != nil {
		return err
	}
	defer done()
	progress := func(line int, c app.ImportCounts) {
		if *verbose {
			fmt.Fprintf(os.Stderr, "committed through line %d (%d created, %d updated, %d unchanged, %d failed)\n",
				line, c.Created, c.Updated, c.Unchanged, c.Failed)
		}
	}
	if *batch > 0 {
		svc.Config.ImportBatch = *batch
	}
	run, err := svc.ImportWithProgress(ctx, app.SystemActor(), in, fs.Arg(0), progress)
	if err != nil {
		return err
	}
	printImport(stdout, run)
	if run.Counts.Failed > 0 {
		return fmt.Errorf("%d line(s) failed", run.Counts.Failed)
	}
	return nil
}

func printImport(w io.Writer, run *app.ImportRun) {
	c := run.Counts
	fmt.Fprintf(w, "%d lines: %d created, %d updated, %d unchanged, %d failed\n", c.Lines, c.Created, c.Updated, c.Unchanged, c.Failed)
	for i, e := range run.Errors {
		if i == 50 {
			fmt.Fprintf(w, "… and %d more errors\n", len(run.Errors)-50)
			break
		}
		fmt.Fprintf(w, "line %d: %s: %s (%s)\n", e.Line, e.Field, e.Message, e.Ref)
	}
}

func cmdExport(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs, cfgPath := newFlags("export")
	out := fs.String("out", "-", "output file (- for stdout)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, done, err := offline(ctx, *cfgPath, getenv, true)
	if err != nil {
		return err
	}
	defer done()
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := svc.Export(ctx, app.SystemActor(), bw, app.ExportFilter{}); err != nil {
		return err
	}
	return bw.Flush()
}

// DemoPassword is the password of every demo account.
const DemoPassword = "Rongtong2026"

// demoAccounts are the demo's accounts, one per role, joined to demo organisations.
var demoAccounts = []struct {
	Email, OrgRef, Scope string
	Role                 app.Role
}{
	{"admin@demo.rongtong.cn", "", "", app.RoleAdmin},
	{"ningbo-admin@demo.rongtong.cn", "", "330200", app.RoleAdmin},
	{"sme@demo.rongtong.cn", "demo-sme-0001", "", app.RoleSME},
	{"enterprise@demo.rongtong.cn", "demo-ent-001", "", app.RoleEnterprise},
	{"investor@demo.rongtong.cn", "demo-vc-001", "", app.RoleInvestor},
	{"institution@demo.rongtong.cn", "demo-ins-001", "", app.RoleInstitution},
	{"organizer@demo.rongtong.cn", "demo-org-001", "", app.RoleOrganizer},
}

func cmdSeed(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs, cfgPath := newFlags("seed")
	isDemo := fs.Bool("demo", false, "load the demo data set and accounts")
	ifEmpty := fs.Bool("if-empty", false, "do nothing when the store already holds data")
	orgs := fs.Int("orgs", 1200, "how many demo organisations")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*isDemo {
		return errors.New("usage: rongtong seed --demo [--if-empty]")
	}
	svc, done, err := offline(ctx, *cfgPath, getenv, true)
	if err != nil {
		return err
	}
	defer done()
	_, err = seedDemo(ctx, svc, *orgs, *ifEmpty, stdout)
	return err
}

// seedDemo loads the demo data set and accounts; with ifEmpty it does
// nothing (and reports false) when the store already holds data.
func seedDemo(ctx context.Context, svc *app.Service, orgs int, ifEmpty bool, stdout io.Writer) (bool, error) {
	if ifEmpty {
		n, err := svc.Store.CountOrgs(ctx, app.OrgFilter{})
		if err != nil {
			return false, err
		}
		u, err := svc.Store.CountUsers(ctx)
		if err != nil {
			return false, err
		}
		if n+u > 0 {
			fmt.Fprintln(stdout, "the store holds data already; not seeding")
			return false, nil
		}
	}
	var buf bytes.Buffer
	if err := demo.Write(&buf, demo.Options{Seed: 1, Orgs: orgs}); err != nil {
		return false, err
	}
	run, err := svc.Import(ctx, app.SystemActor(), &buf, "demo")
	if err != nil {
		return false, err
	}
	printImport(stdout, run)
	if err := seedIndicators(ctx, svc, stdout); err != nil {
		return false, err
	}
	for _, acc := range demoAccounts {
		if err := seedAccount(ctx, svc, acc.Email, acc.Role, acc.Scope, acc.OrgRef); err != nil {
			return false, fmt.Errorf("demo account %s: %w", acc.Email, err)
		}
		fmt.Fprintf(stdout, "account %-32s role %-12s password %s\n", acc.Email, acc.Role, DemoPassword)
	}
	if err := seedDemoEvent(ctx, svc, time.Now(), stdout); err != nil {
		return false, fmt.Errorf("demo event: %w", err)
	}
	if err := seedDemoPairings(ctx, svc, stdout); err != nil {
		return false, err
	}
	return true, nil
}

func seedAccount(ctx context.Context, svc *app.Service, email string, role app.Role, scope, orgRef string) error {
	var u *app.User
	var err error
	if role == app.RoleAdmin {
		u, err = svc.CreateAdmin(ctx, email, DemoPassword, scope)
	} else {
		u, err = svc.Register(ctx, app.RegisterInput{Email: email, Password: DemoPassword, Role: role, Name: "演示账号"})
	}
	if app.ErrorCode(err) == app.ECONFLICT {
		return nil // made by an earlier seed
	} else if err != nil {
		return err
	}
	if orgRef == "" {
		return nil
	}
	o, err := svc.Store.FindOrgByRef(ctx, orgRef)
	if err != nil {
		return err
	}
	u.OrgID, u.OrgRole = o.ID, app.MemberOwner
	return svc.Store.UpdateUser(ctx, u)
}

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: rongtong user create --admin --email E [--region CODE]  (password on stdin)")
	}
	fs, cfgPath := newFlags("user create")
	admin := fs.Bool("admin", false, "create an admin (government staff)")
	email := fs.String("email", "", "e-mail address")
	region := fs.String("region", "", "limit the admin to this region code (e.g. 330200)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if !*admin || *email == "" {
		return errors.New("usage: rongtong user create --admin --email E [--region CODE]  (password on stdin)")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	password := strings.TrimRight(line, "\r\n")
	svc, done, err := offline(ctx, *cfgPath, getenv, false)
	if err != nil {
		return err
	}
	defer done()
	u, err := svc.CreateAdmin(ctx, *email, password, *region)
	if err != nil {
		return describe(err)
	}
	b, _ := json.Marshal(map[string]string{"id": u.ID, "email": u.Email, "role": string(u.Role), "regionScope": u.RegionScope})
	fmt.Fprintln(stdout, string(b))
	return nil
}

// describe turns an app error with field errors into one readable error.
func describe(err error) error {
	var e *app.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		var parts []string
		for _, f := range e.Fields {
			parts = append(parts, f.Field+": "+f.Message)
		}
		return errors.New(strings.Join(parts, "; "))
	}
	return err
}

func cmdHealth(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080/healthz", "health endpoint")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", *url, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}
