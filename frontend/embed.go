// Package frontend embeds the built web UI (dist/, made by `npm run build`
// from the Vue sources beside it) so the binary serves it with no other files.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built UI, rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic("frontend: " + err.Error())
	}
	return sub
}
