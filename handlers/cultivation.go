package handlers

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/cultivation"
)

// cultivationRoutes are the cultivation database (培育库): organisations'
// yearly indicators, tier eligibility and membership, the department's
// workbook import and export, and the government dashboard.
type cultivationRoutes struct{ s *server }

// indicatorImportPath may take a body up to Options.ImportBodyLimit.
const indicatorImportPath = "/admin/indicators/import"

// mimeXLSX is the media type of Excel workbooks.
const mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Register adds the routes.
func (h *cultivationRoutes) Register(r fiber.Router) {
	s := h.s
	r.Get("/orgs/:id/indicators", s.requireAuth, h.list)
	r.Get("/orgs/:id/indicators/:year", s.requireAuth, h.get)
	r.Put("/orgs/:id/indicators/:year", s.requireAuth, h.put)
	r.Get("/orgs/:id/eligibility", s.requireAuth, h.eligibility)
	r.Get("/orgs/:id/cultivation", s.requireAuth, h.membership)
	r.Put("/orgs/:id/cultivation", s.requireAuth, h.putMembership)
	r.Get("/admin/indicators/template", s.requireAuth, h.template)
	r.Post(indicatorImportPath, s.requireAuth, h.importIndicators)
	r.Get("/admin/indicators/export", s.requireAuth, h.export)
	r.Get("/admin/dashboard", s.requireAuth, h.dashboard)
}

// yearParam reads the :year path parameter; a malformed year is a 404, as a
// malformed ID is.
func yearParam(c *fiber.Ctx) (int, error) {
	y, err := strconv.Atoi(c.Params("year"))
	if err != nil || y < 1000 || y > 9999 {
		return 0, app.Errorf(app.ENOTFOUND, "no indicators for this year")
	}
	return y, nil
}

// yearQuery reads an optional ?year=.
func yearQuery(q query) (int, error) {
	v, err := q.str("year")
	if err != nil || v == "" {
		return 0, err
	}
	y, perr := strconv.Atoi(v)
	if perr != nil {
		return 0, badRequest("year", fieldType, "must be a whole number")
	}
	if y < app.MinIndicatorYear || y > 9999 {
		return 0, app.Invalid("year", app.FieldRange, "must be a year from %d", app.MinIndicatorYear)
	}
	return y, nil
}

func (h *cultivationRoutes) list(c *fiber.Ctx) error {
	rows, err := h.s.svc.ListIndicators(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []app.IndicatorYear{}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(listPage[app.IndicatorYear]{Items: rows})
}

func (h *cultivationRoutes) get(c *fiber.Ctx) error {
	y, err := yearParam(c)
	if err != nil {
		return err
	}
	row, err := h.s.svc.GetIndicator(c.UserContext(), actorOf(c), c.Params("id"), y)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(row)
}

// put replaces a year's indicators. The organisation and year come from the
// path; a body naming others is refused.
func (h *cultivationRoutes) put(c *fiber.Ctx) error {
	y, err := yearParam(c)
	if err != nil {
		return err
	}
	var in app.Indicator
	if err := readJSON(c, &in); err != nil {
		return err
	}
	var f app.Fields
	if in.Year != 0 && in.Year != y {
		f.Add("year", app.FieldNotAllow, "differs from the year in the path")
	}
	if in.OrgID != "" && in.OrgID != c.Params("id") {
		f.Add("orgId", app.FieldNotAllow, "differs from the organisation in the path")
	}
	if err := f.Err(); err != nil {
		return err
	}
	row, err := h.s.svc.PutIndicator(c.UserContext(), actorOf(c), c.Params("id"), y, &in)
	if err != nil {
		return err
	}
	return c.JSON(row)
}

func (h *cultivationRoutes) eligibility(c *fiber.Ctx) error {
	e, err := h.s.svc.Eligibility(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(e)
}

func (h *cultivationRoutes) membership(c *fiber.Ctx) error {
	m, err := h.s.svc.GetMembership(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (h *cultivationRoutes) putMembership(c *fiber.Ctx) error {
	var in app.Membership
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.OrgID != "" && in.OrgID != c.Params("id") {
		return app.Invalid("orgId", app.FieldNotAllow, "differs from the organisation in the path")
	}
	m, err := h.s.svc.PutMembership(c.UserContext(), actorOf(c), c.Params("id"), &in)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

// sendFile answers with a download.
func sendFile(c *fiber.Ctx, mediaType, name string, body []byte) error {
	c.Set(fiber.HeaderContentType, mediaType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

// template is the empty indicator workbook. Admins only, as is the import
// it is made for.
func (h *cultivationRoutes) template(c *fiber.Ctx) error {
	if err := h.s.svc.CheckIndicatorImport(actorOf(c)); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := cultivation.WriteTemplate(&b); err != nil {
		return err
	}
	return sendFile(c, mimeXLSX, "rongtong-indicators-template.xlsx", b.Bytes())
}

// importIndicators reads a workbook (the body, or the form field "file" of a
// multipart upload) and answers with the report: JSON, or with
// ?format=xlsx a workbook.
func (h *cultivationRoutes) importIndicators(c *fiber.Ctx) error {
	q, err := parseQuery(c, "format")
	if err != nil {
		return err
	}
	format, err := q.str("format")
	if err != nil {
		return err
	}
	if format != "" && format != "json" && format != "xlsx" {
		return app.Invalid("format", app.FieldUnknown, "must be json or xlsx")
	}
	if err := h.s.svc.CheckIndicatorImport(actorOf(c)); err != nil {
		return err
	}
	body, err := workbookBody(c)
	if err != nil {
		return err
	}
	rows, err := cultivation.ReadIndicators(body)
	if err != nil {
		return err
	}
	rep, err := h.s.svc.ImportIndicators(c.UserContext(), actorOf(c), rows)
	if err != nil {
		return err
	}
	if format != "xlsx" {
		return c.JSON(rep)
	}
	var b bytes.Buffer
	if err := cultivation.WriteReport(&b, rep); err != nil {
		return err
	}
	return sendFile(c, mimeXLSX, "rongtong-indicators-report.xlsx", b.Bytes())
}

// workbookBody returns the uploaded workbook.
func workbookBody(c *fiber.Ctx) (io.Reader, error) {
	mt, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	switch mt {
	case "multipart/form-data":
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, badRequest("file", app.FieldRequired, "upload the workbook in the form field \"file\"")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		var b bytes.Buffer
		if _, err := b.ReadFrom(f); err != nil {
			return nil, err
		}
		return &b, nil
	case mimeXLSX:
		return bytes.NewReader(c.Body()), nil
	}
	return nil, errUnsupportedMedia(mimeXLSX + " or a multipart/form-data upload in the field \"file\"")
}

// export writes the organisations of a filter with their latest indicators
// and tiers as a workbook.
func (h *cultivationRoutes) export(c *fiber.Ctx) error {
	q, err := parseQuery(c, "region", "industry", "tier", "year")
	if err != nil {
		return err
	}
	var f app.IndicatorExportFilter
	if f.Region, err = q.str("region"); err != nil {
		return err
	}
	if f.Industry, err = q.str("industry"); err != nil {
		return err
	}
	if f.Tiers, err = tiersQuery(q); err != nil {
		return err
	}
	if f.Year, err = yearQuery(q); err != nil {
		return err
	}
	x, err := cultivation.NewExportWriter()
	if err != nil {
		return err
	}
	if err := h.s.svc.ExportIndicators(c.UserContext(), actorOf(c), f, x.Write); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := x.Finish(&b); err != nil {
		return err
	}
	return sendFile(c, mimeXLSX, "rongtong-cultivation.xlsx", b.Bytes())
}

func tiersQuery(q query) ([]app.Tier, error) {
	var out []app.Tier
	for _, t := range q.list("tier") {
		if !app.Tier(t).Valid() {
			return nil, app.Invalid("tier", app.FieldUnknown, "must be one of none, innovative, specialized, hidden_champion, little_giant")
		}
		out = append(out, app.Tier(t))
	}
	return out, nil
}

// dashboard answers with the dashboard's figures, or with ?format=csv or
// xlsx and ?chart= one chart's data as a download.
func (h *cultivationRoutes) dashboard(c *fiber.Ctx) error {
	q, err := parseQuery(c, "region", "year", "format", "chart")
	if err != nil {
		return err
	}
	var f app.DashboardFilter
	if f.Region, err = q.str("region"); err != nil {
		return err
	}
	if f.Year, err = yearQuery(q); err != nil {
		return err
	}
	format, err := q.str("format")
	if err != nil {
		return err
	}
	chart, err := q.str("chart")
	if err != nil {
		return err
	}
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		return app.Invalid("format", app.FieldUnknown, "must be json, csv or xlsx")
	}
	download := format == "csv" || format == "xlsx"
	if download && !slices.Contains(app.DashboardCharts, chart) {
		return app.Invalid("chart", app.FieldUnknown, "must be one of cities, counties, industries, tiers, trends, targets, funnel")
	}
	d, err := h.s.svc.Dashboard(c.UserContext(), actorOf(c), f)
	if err != nil {
		return err
	}
	if !download {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(d)
	}
	table, err := d.Table(chart)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	name := "rongtong-dashboard-" + chart + "-" + strconv.Itoa(d.Year)
	if format == "xlsx" {
		if err := cultivation.WriteTable(&b, chart, table); err != nil {
			return err
		}
		return sendFile(c, mimeXLSX, name+".xlsx", b.Bytes())
	}
	// A byte-order mark, so that Excel opens the Chinese text as UTF-8.
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	if err := w.WriteAll(table); err != nil {
		return err
	}
	return sendFile(c, "text/csv; charset=utf-8", name+".csv", b.Bytes())
}
