package mail_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	rtmail "github.com/rongtong/rongtong/mail"
	"github.com/rongtong/rongtong/store/sqlite"
)

// captured is one message the fake server received.
type captured struct {
	auth string // the decoded AUTH PLAIN credentials
	from string
	to   []string
	data string
}

// fakeSMTP is an SMTP server that speaks just enough of RFC 5321 (EHLO,
// AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) to capture what a client
// sends. refuse makes it answer MAIL FROM with a permanent error.
type fakeSMTP struct {
	ln     net.Listener
	got    chan captured
	refuse bool
	wg     sync.WaitGroup
}

func startFakeSMTP(t *testing.T, refuse bool) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeSMTP{ln: ln, got: make(chan captured, 16), refuse: refuse}
	s.wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(conn) })
		}
	})
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *fakeSMTP) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *fakeSMTP) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	reply := func(line string) { fmt.Fprintf(conn, "%s\r\n", line) }
	reply("220 fake.example ESMTP")
	var m captured
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			reply("250-fake.example")
			reply("250-8BITMIME")
			reply("250 AUTH PLAIN")
		case "AUTH":
			_, b64, _ := strings.Cut(arg, " ")
			cred, _ := base64.StdEncoding.DecodeString(b64)
			m.auth = string(cred)
			reply("235 2.7.0 ok")
		case "MAIL":
			if s.refuse {
				reply("550 5.7.1 no thanks")
				continue
			}
			m.from = pathOf(arg)
			reply("250 ok")
		case "RCPT":
			m.to = append(m.to, pathOf(arg))
			reply("250 ok")
		case "DATA":
			reply("354 go on")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			m.data = data.String()
			s.got <- m
			m = captured{}
			reply("250 queued")
		case "RSET", "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

// pathOf returns the address in "FROM:<a@b> BODY=8BITMIME".
func pathOf(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

// wait returns the next captured message; the timeout only keeps a broken
// test from hanging.
func (s *fakeSMTP) wait(t *testing.T) captured {
	t.Helper()
	select {
	case m := <-s.got:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message reached the fake SMTP server")
	}
	return captured{}
}

// decode parses a captured message: its subject and text body.
func decode(t *testing.T, data string) (subject, body string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, data)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
		t.Errorf("Content-Type %q", ct)
	}
	raw, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	if err != nil {
		t.Fatalf("body is not base64: %v", err)
	}
	return subject, string(raw)
}

func config(port int) rtmail.Config {
	return rtmail.Config{Host: "127.0.0.1", Port: port, From: "noreply@rongtong.example.cn", Username: "robot", Password: "s3cret", Timeout: 5 * time.Second}
}

func TestDeliver(t *testing.T) {
	srv := startFakeSMTP(t, false)
	s := rtmail.NewSMTP(config(srv.port()))
	body := strings.Repeat("对接请求：宁波精密轴承 ↔ 数控加工。\n", 20) + ".a line that starts with a dot\n"
	if err := s.Deliver(context.Background(), app.Mail{To: []string{"a@example.cn", "b@example.cn"}, Subject: "【融通】新的对接请求 / New request", Body: body}); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	m := srv.wait(t)
	if m.from != "noreply@rongtong.example.cn" || strings.Join(m.to, ",") != "a@example.cn,b@example.cn" {
		t.Errorf("envelope from %q to %q", m.from, m.to)
	}
	if m.auth != "\x00robot\x00s3cret" {
		t.Errorf("AUTH PLAIN credentials %q", m.auth)
	}
	subject, got := decode(t, m.data)
	if subject != "【融通】新的对接请求 / New request" || got != body {
		t.Errorf("subject %q body %q", subject, got)
	}
	if strings.Contains(m.data, "a@example.cn") {
		t.Errorf("a recipient's address is in the message headers:\n%s", m.data)
	}
}

func TestDeliverErrors(t *testing.T) {
	refusing := startFakeSMTP(t, true)
	err := rtmail.NewSMTP(config(refusing.port())).Deliver(context.Background(), app.Mail{To: []string{"a@example.cn"}, Subject: "x", Body: "y"})
	if err == nil || !strings.Contains(err.Error(), "550") {
		t.Errorf("refused MAIL FROM: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	if err := rtmail.NewSMTP(config(port)).Deliver(context.Background(), app.Mail{To: []string{"a@example.cn"}}); err == nil {
		t.Error("a closed port: no error")
	}
	for _, c := range []rtmail.Config{{Port: 25, From: "a@b.cn"}, {Host: "h", Port: 0, From: "a@b.cn"}, {Host: "h", Port: 25, From: "x"}, {Host: "h", Port: 25, From: "a@b.cn", Password: "p"}} {
		if c.Validate() == nil {
			t.Errorf("%+v validates", c)
		}
	}
}

// blocked is a Deliverer that waits until released, to fill a queue.
type blocked struct {
	release chan struct{}
	mu      sync.Mutex
	n       int
}

func (b *blocked) Deliver(ctx context.Context, _ app.Mail) error {
	<-b.release
	b.mu.Lock()
	b.n++
	b.mu.Unlock()
	return nil
}

// TestQueueNeverBlocks: with the deliverer stuck, Send still returns at
// once, dropping what does not fit; Close delivers what was queued.
func TestQueueNeverBlocks(t *testing.T) {
	d := &blocked{release: make(chan struct{})}
	q := rtmail.NewQueue(d, 2, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var full int
	for range 10 {
		if err := q.Send(context.Background(), app.Mail{To: []string{"a@example.cn"}}); errors.Is(err, rtmail.ErrQueueFull) {
			full++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	// One message is with the stuck deliverer, two wait; the rest dropped.
	if full < 7 || full > 8 {
		t.Errorf("%d of 10 dropped, want 7 or 8", full)
	}
	close(d.release)
	if err := q.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d.n != 10-full {
		t.Errorf("delivered %d, want %d", d.n, 10-full)
	}
	if err := q.Send(context.Background(), app.Mail{}); !errors.Is(err, rtmail.ErrClosed) {
		t.Errorf("Send after Close: %v", err)
	}
}

// TestPairingMail: a pairing request reaches the asked organisation's
// members by e-mail through the queue; with the mail server down the
// request still succeeds and the failure is logged.
func TestPairingMail(t *testing.T) {
	for _, down := range []bool{false, true} { // down: the server refuses every message
		t.Run(map[bool]string{false: "server up", true: "server refuses"}[down], func(t *testing.T) {
			srv := startFakeSMTP(t, down)
			var logged bytes.Buffer
			var logMu sync.Mutex
			log := slog.New(slog.NewTextHandler(&lockedWriter{w: &logged, mu: &logMu}, nil))
			q := rtmail.NewQueue(rtmail.NewSMTP(config(srv.port())), 16, log)
			svc, asker, target, need := pairingWorld(t)
			svc.Mailer = q
			p, err := svc.ProposePairing(context.Background(), asker, app.ProposeInput{Source: app.RecordRef{Kind: "need", ID: need.ID},
				Target: app.RecordRef{Kind: "org", ID: target.ID}, Message: "盼洽谈"})
			if err != nil {
				t.Fatalf("ProposePairing: %v", err)
			}
			if err := q.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			if down {
				logMu.Lock()
				defer logMu.Unlock()
				if !strings.Contains(logged.String(), "mail delivery failed") {
					t.Errorf("the failure was not logged: %s", logged.String())
				}
				return
			}
			m := srv.wait(t)
			if strings.Join(m.to, ",") != "s1@example.cn" {
				t.Errorf("mailed %v, want the asked side's member", m.to)
			}
			subject, body := decode(t, m.data)
			if !strings.Contains(subject, "有意向") || !strings.Contains(body, "盼洽谈") || !strings.Contains(body, p.A.Name) {
				t.Errorf("subject %q body %q", subject, body)
			}
		})
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// pairingWorld is a lead enterprise with a need and a member who asks, and
// an SME with a member who has an e-mail address.
func pairingWorld(t *testing.T) (*app.Service, *app.Actor, *app.Org, *app.Listing) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.NewService(st, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	sys := app.SystemActor()
	e, err := svc.CreateOrg(ctx, sys, &app.Org{Name: "甲汽车部件集团", Type: app.OrgEnterprise, Region: "330212", USCC: uscc("330212")})
	if err != nil {
		t.Fatal(err)
	}
	s, err := svc.CreateOrg(ctx, sys, &app.Org{Name: "乙精密机械", Type: app.OrgSME, Region: "330206", USCC: uscc("330206")})
	if err != nil {
		t.Fatal(err)
	}
	if s, err = svc.VerifyOrg(ctx, sys, s.ID, true); err != nil {
		t.Fatal(err)
	}
	need, err := svc.CreateListing(ctx, sys, e.ID, &app.Listing{Kind: app.KindNeed, Status: app.StatusPublished, Title: "数控加工配套"})
	if err != nil {
		t.Fatal(err)
	}
	var asker *app.Actor
	for _, u := range []*app.User{
		{ID: app.NewID(), Email: "e1@example.cn", Role: app.RoleEnterprise, OrgID: e.ID, OrgRole: app.MemberOwner, PasswordHash: "x"},
		{ID: app.NewID(), Email: "s1@example.cn", Role: app.RoleSME, OrgID: s.ID, OrgRole: app.MemberOwner, PasswordHash: "x"},
		{ID: app.NewID(), Phone: "13900000001", Role: app.RoleSME, OrgID: s.ID, OrgRole: app.MemberMember, PasswordHash: "x"},
	} {
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if u.OrgID == e.ID {
			if asker, err = svc.Actor(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	return svc, asker, s, need
}

func uscc(region string) string {
	first := "91" + region + "100000001"
	return first + string(app.USCCCheckChar(first))
}
