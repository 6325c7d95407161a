package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"path"
	"runtime/debug"
	"strings"
	"sync"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// adminRoutes are the government staff's tools: imports in the interchange
// format, their reports and account administration; and the export, open to
// every logged-in user but holding only what the caller may see.
type adminRoutes struct{ s *server }

// importPath is the one route whose body may exceed Options.BodyLimit.
const importPath = "/admin/import"

// Register adds the routes.
func (h *adminRoutes) Register(r fiber.Router) {
	s := h.s
	r.Post(importPath, s.requireAuth, h.importRecords)
	r.Get("/admin/imports", s.requireAuth, h.imports)
	r.Get("/admin/imports/:id", s.requireAuth, h.importRun)
	r.Get("/admin/users", s.requireAuth, h.users)
	r.Put("/admin/users/:id", s.requireAuth, h.updateUser)
	r.Get("/export", s.requireAuth, h.export)
}

// ndjsonTypes are the media types accepted for JSON Lines.
var ndjsonTypes = []string{"application/x-ndjson", "application/jsonl", "application/json-lines"}

// importRecords reads a JSON Lines body, or the form field "file" of a
// multipart upload, and answers with the import's report: its counts and
// every bad line with its number and field.
func (h *adminRoutes) importRecords(c *fiber.Ctx) error {
	mt, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	var (
		r      io.Reader
		source = "api"
	)
	if mt == "multipart/form-data" {
		fh, err := c.FormFile("file")
		if err != nil {
			return badRequest("file", app.FieldRequired, "upload the file in the form field \"file\"")
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
		if name := cleanFilename(fh.Filename); name != "" {
			source = "api:" + name
		}
	} else {
		if err := requireMediaType(c, ndjsonTypes...); err != nil {
			return errUnsupportedMedia("application/x-ndjson (JSON Lines) or a multipart/form-data upload in the field \"file\"")
		}
		r = bytes.NewReader(c.Body())
	}
	run, err := h.s.svc.Import(c.UserContext(), actorOf(c), r, source)
	if err != nil {
		return err
	}
	return c.JSON(run)
}

// cleanFilename keeps the base name of an uploaded file, as printable text of
// at most 100 characters, for the import report.
func cleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(strings.ToValidUTF8(name, ""), `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if rs := []rune(name); len(rs) > 100 {
		name = string(rs[:100])
	}
	if name == "." || name == "/" {
		return ""
	}
	return name
}

func (h *adminRoutes) imports(c *fiber.Ctx) error {
	q, err := parseQuery(c, "limit", "cursor")
	if err != nil {
		return err
	}
	p, err := q.page()
	if err != nil {
		return err
	}
	runs, err := h.s.svc.ListImportRuns(c.UserContext(), actorOf(c), p)
	if err != nil {
		return err
	}
	return c.JSON(pageOf(runs, p.Limit, func(r *app.ImportRun) string { return r.ID }))
}

func (h *adminRoutes) importRun(c *fiber.Ctx) error {
	run, err := h.s.svc.GetImportRun(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(run)
}

func (h *adminRoutes) users(c *fiber.Ctx) error {
	q, err := parseQuery(c, "role", "org", "q", "limit", "cursor")
	if err != nil {
		return err
	}
	var f app.UserFilter
	role, err := q.str("role")
	if err != nil {
		return err
	}
	f.Role = app.Role(role)
	if f.OrgID, err = q.str("org"); err != nil {
		return err
	}
	if f.Query, err = q.str("q"); err != nil {
		return err
	}
	p, err := q.page()
	if err != nil {
		return err
	}
	us, err := h.s.svc.ListUsers(c.UserContext(), actorOf(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(pageOf(us, p.Limit, func(u *app.User) string { return u.ID }))
}

func (h *adminRoutes) updateUser(c *fiber.Ctx) error {
	var in app.UserUpdate
	if err := readJSON(c, &in); err != nil {
		return err
	}
	u, err := h.s.svc.UpdateUser(c.UserContext(), actorOf(c), c.Params("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

// export streams the records the caller may see in the interchange format.
// An error before the first record is a problem response; one after it cuts
// the stream short (the client sees an incomplete chunked body) and is logged.
func (h *adminRoutes) export(c *fiber.Ctx) error {
	q, err := parseQuery(c, "region", "industry", "kind", "orgs")
	if err != nil {
		return err
	}
	var f app.ExportFilter
	if f.Region, err = q.str("region"); err != nil {
		return err
	}
	if f.Industry, err = q.str("industry"); err != nil {
		return err
	}
	for _, k := range q.list("kind") {
		if !app.Kind(k).Valid() {
			return app.Invalid("kind", app.FieldUnknown, "must be one of capability, need, tech, technead, investor, financing")
		}
		f.Kinds = append(f.Kinds, app.Kind(k))
	}
	orgs, err := q.boolean("orgs")
	if err != nil {
		return err
	}
	f.NoOrgs = orgs != nil && !*orgs

	// The export outlives the handler: fasthttp reads the stream after it
	// returns. It stops when the stream is closed (done or client gone).
	ctx, cancel := context.WithCancel(context.WithoutCancel(c.UserContext()))
	pr, pw := io.Pipe()
	a := actorOf(c)
	go func() {
		// A panic here would take the process down: no middleware recovers
		// a goroutine of its own.
		defer func() {
			if r := recover(); r != nil {
				pw.CloseWithError(fmt.Errorf("export panicked: %v\n%s", r, debug.Stack()))
			}
		}()
		pw.CloseWithError(h.s.svc.Export(ctx, a, pw, f))
	}()
	first := make([]byte, 32<<10)
	n, err := io.ReadAtLeast(pr, first, 1)
	if err != nil && !errors.Is(err, io.EOF) {
		cancel()
		pr.Close()
		return err
	}
	c.Set(fiber.HeaderContentType, "application/x-ndjson; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="rongtong-export.jsonl"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if n == 0 {
		cancel()
		pr.Close()
		return c.Send(nil)
	}
	return c.SendStream(&exportStream{
		Reader: io.MultiReader(bytes.NewReader(first[:n]), pr),
		pipe:   pr, cancel: cancel, ctx: ctx, log: h.s.log,
	})
}

// exportStream is the body of an export response: it logs an export that
// fails midway and stops the export when fasthttp closes it.
type exportStream struct {
	io.Reader
	pipe   *io.PipeReader
	cancel context.CancelFunc
	ctx    context.Context
	log    *slog.Logger
	once   sync.Once
}

func (s *exportStream) Read(p []byte) (int, error) {
	n, err := s.Reader.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		s.once.Do(func() { s.log.ErrorContext(s.ctx, "export failed midway", "err", err) })
	}
	return n, err
}

func (s *exportStream) Close() error {
	s.cancel()
	return s.pipe.Close()
}
