package evidence

import (
	"os"
	"regexp"
	"strings"

	"github.com/netconform/netconform/reports"
)

// redactor removes what identifies the machine beyond its release identity
// from the text Bundle writes: the host name (full and short) and the home
// directory. A check's observations may have picked them up (a path, a log
// line); the bundle goes to a vendor, so they are replaced, not trusted.
// Names are matched as whole words, so a host called "mini" does not maul
// "minimum"; a name that is part of the release identity is left alone.
type redactor struct{ res []*regexp.Regexp }

// hostname is os.Hostname; tests give the machine a name worth hiding.
var hostname = os.Hostname

func newRedactor(rel reports.Release) redactor {
	identity := strings.ToLower(strings.Join([]string{rel.ID, rel.OS, rel.Name, rel.Version, rel.Build, rel.Kernel, rel.Arch, rel.Hardware}, " "))
	var red redactor
	if h, err := hostname(); err == nil {
		short, _, _ := strings.Cut(h, ".")
		for _, name := range []string{h, short} {
			if len(name) < 3 || strings.EqualFold(name, "localhost") || strings.Contains(identity, strings.ToLower(name)) {
				continue
			}
			red.res = append(red.res, regexp.MustCompile(`(?i)\b`+regexp.QuoteMeta(name)+`\b`))
		}
	}
	if home, err := os.UserHomeDir(); err == nil && len(home) > 1 && home != "/root" {
		red.res = append(red.res, regexp.MustCompile(regexp.QuoteMeta(home)))
	}
	return red
}

func (r redactor) apply(s string) string {
	for _, re := range r.res {
		s = re.ReplaceAllString(s, "<redacted>")
	}
	return s
}
