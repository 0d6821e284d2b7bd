package topology

import (
	"context"
	"regexp"
	"strings"
)

// toolCommands are the tools a macOS networking engineer reads; their text
// goes into the evidence beside the parsed tables (darwin.md: netstat
// truncates columns, so the verdicts never parse it, but people read it).
var toolCommands = []string{"netstat -rn -f inet6", "ndp -rn", "ndp -an"}

// ToolOutputs returns each tool's output, cut down to the header and the
// lines that mention one of the lab's interfaces: the Mac's own routes and
// neighbours are the user's network, not evidence about the stack.
func (s *fethSUT) ToolOutputs(ctx context.Context) map[string]string {
	out := map[string]string{}
	ifs := s.sutIfs()
	for _, c := range toolCommands {
		text, err := s.Shell(ctx, c, []string{"PATH=/usr/sbin:/sbin:/usr/bin:/bin"})
		if err != nil {
			out[c] = "(failed: " + err.Error() + ")\n" + LabLines(string(text), ifs)
			continue
		}
		out[c] = LabLines(string(text), ifs)
	}
	return out
}

// LabLines keeps the lines that name one of ifs as a whole word, and the
// first lines up to the first data line (the tool's header).
func LabLines(text string, ifs []string) string {
	if len(ifs) == 0 {
		return ""
	}
	var quoted []string
	for _, i := range ifs {
		quoted = append(quoted, regexp.QuoteMeta(i))
	}
	word := regexp.MustCompile(`(^|[^A-Za-z0-9])(` + strings.Join(quoted, "|") + `)($|[^A-Za-z0-9])`)
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if word.MatchString(line) || isHeader(line) {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// isHeader recognises the header lines of netstat and ndp.
func isHeader(line string) bool {
	for _, h := range []string{"Routing tables", "Internet6:", "Destination", "Neighbor"} {
		if strings.HasPrefix(strings.TrimSpace(line), h) {
			return true
		}
	}
	return false
}
