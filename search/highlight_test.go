package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSnippet(t *testing.T) {
	long := strings.Repeat("本厂长期生产铝合金变速箱壳体，", 8) + "配备三坐标测量机，体系认证ＩＳＯ９００１。" + strings.Repeat("优先对接浙江省的客户。", 8)
	for _, tt := range []struct {
		name, text string
		words      []string
		want       string // must be in the snippet
		not        string // must not be
	}{
		{"marks", "短文本压铸件", []string{"压铸件", "压铸"}, "短文本<mark>压铸件</mark>", "<mark><mark>"},
		{"window on the most matches", long, []string{"三坐标测量机", "iso9001"}, "<mark>三坐标测量机</mark>", ""},
		{"full width kept", long, []string{"iso9001"}, "<mark>ＩＳＯ９００１</mark>", ""},
		{"whole latin words", "support pp 材料", []string{"pp"}, "support <mark>pp</mark>", "su<mark>pp</mark>"},
		{"escaped", "<b>压铸</b>", []string{"压铸"}, "&lt;b&gt;<mark>压铸</mark>&lt;/b&gt;", "<b>"},
		{"no match: the start", long, []string{"注塑"}, "本厂长期生产", "<mark>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := snippet(tt.text, tt.words)
			if !strings.Contains(got, tt.want) || tt.not != "" && strings.Contains(got, tt.not) {
				t.Errorf("snippet = %q, want it to hold %q and not %q", got, tt.want, tt.not)
			}
			plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
			if n := utf8.RuneCountInString(plain); n > snippetRunes+20 {
				t.Errorf("snippet has %d characters, want about %d", n, snippetRunes)
			}
		})
	}
}
