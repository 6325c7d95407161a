package handlers

import (
	"testing"

	"github.com/rongtong/rongtong/ref"
)

func TestRef(t *testing.T) {
	api := newTestAPI(t)
	cached := func(t *testing.T, r response) {
		if cc := r.header.Get("Cache-Control"); cc != refCache {
			t.Errorf("Cache-Control %q", cc)
		}
	}
	api.run(t, []scenario{
		{name: "children of an industry", method: "GET", path: "/api/v1/ref/industries?parent=33", wantStatus: 200,
			wantBody: []string{`"code":"339"`, `"parent":"33"`}, check: cached},
		{name: "sections", method: "GET", path: "/api/v1/ref/industries?parent=", wantStatus: 200, wantBody: []string{`"code":"C"`},
			check: func(t *testing.T, r response) {
				var p listPage[ref.Industry]
				r.json(t, &p)
				if len(p.Items) != 20 {
					t.Errorf("%d sections, want 20", len(p.Items))
				}
			}},
		{name: "the whole industry table", method: "GET", path: "/api/v1/ref/industries", wantStatus: 200,
			check: func(t *testing.T, r response) {
				var p listPage[ref.Industry]
				r.json(t, &p)
				if len(p.Items) != len(ref.Industries()) {
					t.Errorf("%d industries, want %d", len(p.Items), len(ref.Industries()))
				}
			}},
		{name: "a class has no children", method: "GET", path: "/api/v1/ref/industries?parent=3391", wantStatus: 200, wantBody: []string{`{"items":[]}`}},
		{name: "unknown industry", method: "GET", path: "/api/v1/ref/industries?parent=ZZ", wantStatus: 404},
		{name: "counties of 宁波", method: "GET", path: "/api/v1/ref/regions?parent=330200", wantStatus: 200,
			wantBody: []string{`"code":"330206"`, `"name":"北仑区"`}, check: cached},
		{name: "provinces", method: "GET", path: "/api/v1/ref/regions?parent=", wantStatus: 200, wantBody: []string{`"code":"330000"`}},
		{name: "unknown region", method: "GET", path: "/api/v1/ref/regions?parent=999999", wantStatus: 404},
		{name: "unknown parameter", method: "GET", path: "/api/v1/ref/regions?level=1", wantStatus: 400},
	})
}
