package handlers

import (
	"context"
	"errors"
	"testing"

	"github.com/rongtong/rongtong/app"
)

// checkInputError fails unless err is nil or an *app.Error answered with a 4xx.
func checkInputError(t *testing.T, data []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ae *app.Error
	if !errors.As(err, &ae) {
		t.Fatalf("%q: error %v (%T) is not an *app.Error", data, err, err)
	}
	if st := statusOf(err); st < 400 || st > 499 {
		t.Fatalf("%q: error %v answers %d, want a 4xx", data, err, st)
	}
	if p, internal := problemFor(err); internal || p.Detail == "internal error" {
		t.Fatalf("%q: error %v is internal", data, err)
	}
}

var listingSeeds = []string{
	`{"kind":"capability","title":"精密压铸与数控加工","description":"铝合金压铸件","processes":["压铸","数控加工"],"materials":["ADC12"],"certifications":["IATF 16949"],"capacity":{"value":50000,"unit":"件","per":"month"},"leadTimeDays":30,"industries":["3391"],"regionsServed":["330000"]}`,
	`{"kind":"need","title":"新能源汽车电池托盘配套","industry":"3670","processes":["搅拌摩擦焊"],"certificationsRequired":["IATF16949"],"quantity":{"value":20000,"unit":"套","per":"year"},"regionsPreferred":["330200"],"deadline":"2026-06-30","budgetWan":800,"hard":["certificationsRequired"]}`,
	`{"kind":"tech","title":"高导热氮化硅陶瓷基板制备技术","abstract":"流延成型","industries":["3072"],"ipc":["C04B35/584"],"patents":["ZL202010000000.0"],"trl":6,"transferModes":["license","co-develop"],"priceWan":300}`,
	`{"kind":"technead","title":"视觉检测算法","description":"缺陷检测","industries":["3911"],"budgetWan":50,"deadline":"2026-03-01"}`,
	`{"kind":"investor","title":"先进制造早期投资","industries":["C"],"stages":["A","B"],"ticketMinWan":1000,"ticketMaxWan":5000,"regions":["330000"],"minRevenueWan":2000,"tiers":["specialized","little_giant"],"minHoldingYears":3}`,
	`{"kind":"financing","title":"B轮融资","amountWan":5000,"stage":"B","instrument":"equity","valuationWan":60000,"useOfFunds":"扩产","status":"published"}`,
	`{"kind":"capability","title":1}`,
	`{"kind":"capability","title":"x","capacity":{"$gt":0}}`,
	`{"kind":"need","title":"x","deadline":"2026-02-30"}`,
	`{"kind":"tech","title":"x","trl":1e400}`,
	`{"id":"x","orgId":"y","owner":{"id":"z","name":"n","orgType":"sme","verified":true},"createdAt":"2025-01-01T00:00:00Z","kind":"capability","title":"x"}`,
	`{"a.b":1}`, `[]`, `{} {}`, `{"kind":"capability","title":"x","kind":"need"}`, "{\"title\":\"\xff\"}",
}

// FuzzDecodeListing feeds arbitrary bytes through the listing routes'
// decode and validation: no panic, and every error a 4xx app.Error.
func FuzzDecodeListing(f *testing.F) {
	for _, s := range listingSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in app.Listing
		err := decodeJSON(data, &in)
		if err == nil {
			// What CreateListing and UpdateListing do with the input.
			l := in
			l.Normalize()
			err = l.Validate()
		}
		checkInputError(t, data, err)
	})
}

var orgSeeds = []string{
	`{"name":"宁波精工压铸有限公司","uscc":"91330206MA2AAAAA0X","orgType":"sme","region":"330206","industry":"3391","tier":"specialized","founded":2008,"employees":320,"revenueWan":28000,"rdRatio":0.052,"patents":17,"certifications":["ISO9001","IATF16949"],"products":["压铸件"],"description":"专注汽车零部件","website":"https://example.cn","contact":{"name":"王工","phone":"0574-86888888","email":"wang@example.cn"}}`,
	`{"name":"浙江大学","orgType":"institution","region":"330106","industry":"73"}`,
	`{"name":"x","orgType":"investor","contact":{"phone":"13800138000"}}`,
	`{"name":"x","orgType":"sme","uscc":"ｉ１３３０２０６ＭＡ２ＡＡＡＡＡ０Ｘ"}`,
	`{"name":"x","employees":-1}`, `{"name":"x","employees":1.5}`, `{"name":"x","rdRatio":"high"}`,
	`{"name":"x","contact":{"$ne":null}}`, `{"verified":true,"name":"x","orgType":"sme"}`, `null`, ``,
}

// FuzzDecodeOrg does the same for organisations.
func FuzzDecodeOrg(f *testing.F) {
	for _, s := range orgSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in app.Org
		err := decodeJSON(data, &in)
		if err == nil {
			// What CreateOrg and UpdateOrg do with the input.
			o := in
			o.Normalize()
			err = o.Validate()
		}
		checkInputError(t, data, err)
	})
}

// FuzzDecodeRegistration sends arbitrary bytes through the registration
// route's decode and the use case itself, on the real store: valid input
// makes an account (or conflicts with one), nothing else may fail but as a 4xx.
func FuzzDecodeRegistration(f *testing.F) {
	for _, s := range []string{
		`{"email":"fuzz-seed@example.cn","password":"Passw0rd-fuzz","role":"sme","name":"模糊"}`,
		`{"phone":"13900139000","password":"Passw0rd-fuzz","role":"investor"}`,
		`{"phone":"１３９００１３９００１","password":"Passw0rd-fuzz","role":"investor"}`,
		`{"email":"a@b","password":"x","role":"admin"}`,
		`{"email":{"$gt":""},"password":"x"}`,
		`{"email":"a@b.cn","password":"` + han121 + `1a","role":"sme"}`,
	} {
		f.Add([]byte(s))
	}
	fx := mustFixture(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var in app.RegisterInput
		err := decodeJSON(data, &in)
		if err == nil {
			_, err = fx.svc.Register(context.Background(), in)
		}
		checkInputError(t, data, err)
	})
}
