package handlers

import (
	"errors"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy allows the UI's own scripts, styles and API calls
// only. Element Plus sets style attributes, hence 'unsafe-inline' for styles
// (never for scripts).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// static serves the built web UI: files under /assets/ carry a content hash
// in their names and are cached for a year; index.html is never cached, and
// every path that is not a file gets it, so the UI's client-side routes work
// on reload.
func (s *server) static(files fs.FS) fiber.Handler {
	index, indexErr := fs.ReadFile(files, "index.html")
	return func(c *fiber.Ctx) error {
		p := c.Path()
		if p == APIPrefix || strings.HasPrefix(p, APIPrefix+"/") || (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) {
			return c.Next()
		}
		c.Set("X-Content-Type-Options", "nosniff")
		c.Set("Referrer-Policy", "same-origin")
		name := strings.TrimPrefix(path.Clean("/"+p), "/")
		if name != "" && name != "index.html" {
			b, err := fs.ReadFile(files, name)
			if err == nil {
				if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
					c.Set(fiber.HeaderContentType, ct)
				}
				if strings.HasPrefix(name, "assets/") {
					c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
				} else {
					c.Set(fiber.HeaderCacheControl, "no-cache")
				}
				return c.Send(b)
			}
			if !errors.Is(err, fs.ErrNotExist) && !isDirErr(err) {
				return err
			}
			if strings.HasPrefix(name, "assets/") {
				return fiber.ErrNotFound // a missing asset is a 404, not the app
			}
		}
		if indexErr != nil {
			return fiber.ErrNotFound
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Set("Content-Security-Policy", contentSecurityPolicy)
		c.Set("X-Frame-Options", "DENY")
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Send(index)
	}
}

// isDirErr reports whether reading failed because the name is a directory.
func isDirErr(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "is a directory")
}
