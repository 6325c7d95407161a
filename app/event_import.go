package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// MaxParticipantImportRows caps the rows of one participant import.
const MaxParticipantImportRows = 5000

// ParticipantImport is the report of a participant import: counts and the
// bad rows, each with its line number (the header is line 1).
type ParticipantImport struct {
	Lines    int           `json:"lines"`
	Created  int           `json:"created"`
	Existing int           `json:"existing"`
	Failed   int           `json:"failed"`
	Errors   []ImportError `json:"errors"`
}

// importColumns maps header names (English or Chinese) to columns.
var importColumns = map[string]string{
	"uscc": "uscc", "统一社会信用代码": "uscc", "信用代码": "uscc",
	"ref": "ref", "编号": "ref", "外部编号": "ref",
	"note": "note", "备注": "note",
}

// ReadTable reads the rows of an .xlsx workbook (its first sheet) or of a
// CSV file (UTF-8, comma-separated, an optional byte order mark), telling
// them apart by the file's first bytes.
func ReadTable(r io.Reader) ([][]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, 32<<20))
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		wb, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, Invalid("file", FieldFormat, "is not a readable .xlsx workbook")
		}
		defer wb.Close()
		sheets := wb.GetSheetList()
		if len(sheets) == 0 {
			return nil, Invalid("file", FieldFormat, "the workbook has no sheet")
		}
		rows, err := wb.GetRows(sheets[0])
		if err != nil {
			return nil, Invalid("file", FieldFormat, "the first sheet cannot be read")
		}
		return rows, nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, Invalid("file", FieldFormat, "line %d is not valid CSV", pe.Line)
	} else if err != nil {
		return nil, err
	}
	return rows, nil
}

// ImportParticipants registers the organisations listed in a table for an
// event, approved (organizer only). The first row names the columns: uscc
// (统一社会信用代码) or ref (编号) find the organisation, note is optional.
// Each bad row is reported with its line and field and the good rows are
// registered; an organisation already registered counts as existing.
func (s *Service) ImportParticipants(ctx context.Context, a *Actor, eventID string, rows [][]string) (*ParticipantImport, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, Invalid("file", FieldRequired, "the file is empty")
	}
	if len(rows) > MaxParticipantImportRows+1 {
		return nil, Invalid("file", FieldTooLong, "at most %d rows", MaxParticipantImportRows)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		if name, ok := importColumns[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))]; ok {
			col[name] = i
		}
	}
	_, hasUSCC := col["uscc"]
	_, hasRef := col["ref"]
	if !hasUSCC && !hasRef {
		return nil, Invalid("file", FieldRequired, "the first row must name a uscc (统一社会信用代码) or ref (编号) column")
	}
	rep := &ParticipantImport{Errors: []ImportError{}}
	for i, row := range rows[1:] {
		line := i + 2
		cell := func(name string) string {
			if j, ok := col[name]; ok && j < len(row) {
				return strings.TrimSpace(row[j])
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		rep.Lines++
		fail := func(field, code, msg string) {
			rep.Failed++
			rep.Errors = append(rep.Errors, ImportError{Line: line, Ref: cell("ref"), Field: field, Code: code, Message: msg})
		}
		o, field, err := s.importedOrg(ctx, cell("uscc"), cell("ref"))
		if err != nil {
			if ErrorCode(err) == EINTERNAL {
				return nil, err
			}
			fail(field, FieldUnknown, ErrorMessage(err))
			continue
		}
		if err := s.registrationOpen(e, o, true); err != nil {
			fail(field, FieldNotAllow, fieldMessage(err))
			continue
		}
		p, err := s.addParticipant(ctx, a, e, o, true)
		switch {
		case ErrorCode(err) == ECONFLICT:
			rep.Existing++
			continue
		case err != nil:
			return nil, err
		}
		if note := cell("note"); note != "" {
			if badText(note) == "" {
				p.Note = truncate(note, MaxDescriptionRunes)
				if err := s.Store.UpdateParticipant(ctx, p); err != nil {
					return nil, err
				}
			}
		}
		rep.Created++
	}
	return rep, nil
}

// importedOrg finds the organisation of an import row by USCC, else by ref.
func (s *Service) importedOrg(ctx context.Context, uscc, ref string) (*Org, string, error) {
	switch {
	case uscc != "":
		uscc = strings.ToUpper(FoldWidth(uscc))
		found, err := s.Store.FindOrgsByUSCC(ctx, []string{uscc})
		if err != nil {
			return nil, "uscc", err
		}
		if o := found[uscc]; o != nil {
			return o, "uscc", nil
		}
		return nil, "uscc", Errorf(ENOTFOUND, "no organisation has USCC %s", uscc)
	case ref != "":
		o, err := s.Store.FindOrgByRef(ctx, ref)
		if ErrorCode(err) == ENOTFOUND {
			return nil, "ref", Errorf(ENOTFOUND, "no organisation has ref %q", ref)
		}
		return o, "ref", err
	}
	return nil, "uscc", Errorf(EINVALID, "give a uscc or a ref")
}

// fieldMessage returns the first field error's message of err, else its message.
func fieldMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields[0].Message
	}
	return ErrorMessage(err)
}
