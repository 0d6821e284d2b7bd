package churn

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
)

// ProgressPrefix starts each progress line the probe writes to stderr when run
// with --progress: one line per sample, so that a probe killed before it could
// print its JSON (the OOM killer) still leaves its accounting curve and a lower
// bound of the iterations it reached.
const ProgressPrefix = "netconform-probe sample "

// ProgressLine is the text of one progress line, newline included.
func ProgressLine(s Sample) ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	line := make([]byte, 0, len(ProgressPrefix)+len(b)+1)
	line = append(line, ProgressPrefix...)
	line = append(line, b...)
	return append(line, '\n'), nil
}

// SplitProgress separates the progress samples in a probe's stderr from the
// rest of it. A torn last line (the probe died while writing) is dropped.
func SplitProgress(stderr []byte) (samples []Sample, rest string) {
	var other strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(stderr))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if js, ok := bytes.CutPrefix(line, []byte(ProgressPrefix)); ok {
			var s Sample
			if json.Unmarshal(js, &s) == nil {
				samples = append(samples, s)
			}
			continue
		}
		other.Write(line)
		other.WriteByte('\n')
	}
	return samples, other.String()
}
