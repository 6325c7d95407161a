// Package mail sends the e-mail copies of Rongtong's inbox through an SMTP
// server (net/smtp). SMTP delivers one message at a time and waits for the
// server; Queue puts it behind a buffer and one worker, so that the use
// cases (app.Mailer) never wait for a mail server or fail because of one.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rongtong/rongtong/app"
)

// Config is where and as whom to send.
type Config struct {
	Host     string
	Port     int
	From     string // the sender address
	Username string // empty: no authentication
	Password string
	// Timeout bounds one delivery, from dialling to QUIT (default 30s).
	Timeout time.Duration
}

// Validate names the first bad field.
func (c Config) Validate() error {
	switch {
	case c.Host == "":
		return errors.New("smtp host: must not be empty")
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("smtp port: %d is not a port", c.Port)
	case !app.ValidEmail(c.From):
		return fmt.Errorf("smtp from: %q is not an e-mail address", c.From)
	case c.Password != "" && c.Username == "":
		return errors.New("smtp username: must be set with a password")
	}
	return nil
}

// SMTP delivers messages to one SMTP server.
type SMTP struct {
	cfg Config
}

// NewSMTP returns a sender for a validated configuration.
func NewSMTP(cfg Config) *SMTP {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTP{cfg: cfg}
}

// Deliver sends one message and waits for the server to accept it. It uses
// STARTTLS when the server offers it; net/smtp refuses to send a password
// over a connection that is neither encrypted nor to localhost.
func (s *SMTP) Deliver(ctx context.Context, m app.Mail) error {
	if len(m.To) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("mail: dial %s: %w", addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			conn.Close()
			return fmt.Errorf("mail: %w", err)
		}
	}
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: %s: %w", addr, err)
	}
	defer c.Close()
	if err := s.session(c, m); err != nil {
		return fmt.Errorf("mail: %s: %w", addr, err)
	}
	return nil
}

// session runs one SMTP conversation on a connected client.
func (s *SMTP) session(c *smtp.Client, m app.Mail) error {
	if err := c.Hello("localhost"); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	}
	if s.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(s.cfg.From); err != nil {
		return err
	}
	for _, to := range m.To {
		if err := c.Rcpt(to); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(s.message(m)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// message renders a message: UTF-8 text in base64, the subject encoded for
// headers, the recipients undisclosed (members of one organisation receive
// one message and need not see each other's addresses).
func (s *SMTP) message(m app.Mail) []byte {
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", s.cfg.From)
	header("To", "undisclosed-recipients:;")
	header("Subject", mime.BEncoding.Encode("UTF-8", m.Subject))
	header("Date", time.Now().Format(time.RFC1123Z))
	header("Message-ID", "<"+app.NewID()+"@"+domainOf(s.cfg.From)+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(m.Body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

func domainOf(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	return d
}

// Deliverer delivers one message, waiting for it; *SMTP is one.
type Deliverer interface {
	Deliver(ctx context.Context, m app.Mail) error
}

// ErrQueueFull is returned by Send when the queue has no room.
var ErrQueueFull = errors.New("mail: the queue is full; message dropped")

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("mail: the queue is closed")

// Queue is an app.Mailer that hands messages to one worker. Send never
// waits: when the buffer is full the message is dropped with an error the
// caller logs (an e-mail copy is a courtesy; the inbox holds the message).
// Delivery failures are logged by the worker.
type Queue struct {
	d    Deliverer
	log  *slog.Logger
	ch   chan app.Mail
	done chan struct{}

	mu     sync.RWMutex
	closed bool
}

var _ app.Mailer = (*Queue)(nil)

// NewQueue starts a queue of size messages in front of d.
func NewQueue(d Deliverer, size int, log *slog.Logger) *Queue {
	if log == nil {
		log = slog.Default()
	}
	q := &Queue{d: d, log: log, ch: make(chan app.Mail, max(1, size)), done: make(chan struct{})}
	go q.work()
	return q
}

// Send queues a message without waiting.
func (q *Queue) Send(_ context.Context, m app.Mail) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return ErrClosed
	}
	select {
	case q.ch <- m:
		return nil
	default:
		return ErrQueueFull
	}
}

func (q *Queue) work() {
	defer close(q.done)
	for m := range q.ch {
		// A delivery outlives the request that queued it.
		if err := q.d.Deliver(context.Background(), m); err != nil {
			q.log.Error("mail delivery failed", "to", len(m.To), "subject", m.Subject, "err", err)
		}
	}
}

// Close stops taking messages and waits until the queued ones are
// delivered or ctx ends.
func (q *Queue) Close(ctx context.Context) error {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
	q.mu.Unlock()
	select {
	case <-q.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("mail: %d messages undelivered: %w", len(q.ch), ctx.Err())
	}
}
