package html

import (
	"embed"
	"html/template"
)

//go:embed templates/release.html.tmpl
var templateFS embed.FS

// releaseTemplate is parsed once; Execute is safe for concurrent use, which
// the regression report relies on when it renders many runs at once.
var releaseTemplate = template.Must(template.New("release.html.tmpl").ParseFS(templateFS, "templates/release.html.tmpl"))
