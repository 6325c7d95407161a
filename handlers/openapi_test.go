package handlers

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOpenAPICoversRoutes fails when a route under /api/v1 is missing from
// the served OpenAPI document, or the document names a route that does not exist.
func TestOpenAPICoversRoutes(t *testing.T) {
	api := newTestAPI(t)
	r := api.do(t, request{method: "GET", path: "/api/v1/openapi.json"})
	if r.status != 200 {
		t.Fatalf("got %d", r.status)
	}
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	r.json(t, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	registered := map[string]bool{}
	for _, rt := range api.app.GetRoutes(true) {
		if rt.Method == "HEAD" || !strings.HasPrefix(rt.Path, APIPrefix+"/") {
			continue
		}
		p := openAPIPath(strings.TrimPrefix(rt.Path, APIPrefix))
		m := strings.ToLower(rt.Method)
		registered[m+" "+p] = true
		if _, ok := doc.Paths[p][m]; !ok {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Path)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if !registered[m+" "+p] {
				t.Errorf("the document describes %s %s, which is not a route", m, p)
			}
		}
	}
	for _, name := range []string{"Problem", "Org", "Listing", "User", "RegisterInput", "TokenResponse", "ImportRun"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s missing", name)
		}
	}
	// Every reference resolves.
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				name := strings.TrimPrefix(ref, "#/components/schemas/")
				if doc.Components.Schemas[name] == nil {
					t.Errorf("unresolved $ref %s", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var raw any
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	walk(raw)
}
