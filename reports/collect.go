package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/netconform/netconform/check"
)

// WriteCheckResult stores one repetition's result (JSON) as
// dir/<id>/<rep>.json, atomically: a suite killed while writing leaves no
// half result.
func WriteCheckResult(dir, id string, rep int, b []byte) error {
	d := filepath.Join(dir, id)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return err
	}
	name := strconv.Itoa(rep) + ".json"
	tmp := filepath.Join(d, "."+name+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(d, name))
}

// ReadCheckResults reads what WriteCheckResult stored: each check's
// repetitions in order. A missing directory is no results; an unreadable
// file is an error verdict for that repetition (its check did run).
func ReadCheckResults(dir string) (map[string][]check.Result, error) {
	ids, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return map[string][]check.Result{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string][]check.Result{}
	for _, idDir := range ids {
		if !idDir.IsDir() {
			continue
		}
		id := idDir.Name()
		files, err := os.ReadDir(filepath.Join(dir, id))
		if err != nil {
			return nil, err
		}
		type rep struct {
			n   int
			res check.Result
		}
		var reps []rep
		for _, f := range files {
			n, err := strconv.Atoi(strings.TrimSuffix(f.Name(), ".json"))
			if err != nil || !strings.HasSuffix(f.Name(), ".json") {
				continue // a temporary file of a write that never finished
			}
			var res check.Result
			b, err := os.ReadFile(filepath.Join(dir, id, f.Name()))
			if err == nil {
				err = json.Unmarshal(b, &res)
			}
			if err != nil || res.ID != id || !res.Verdict.Valid() {
				res = check.Result{ID: id, Verdict: check.Error, Reason: fmt.Sprintf("repetition %d: unreadable result (%v)", n, err)}
			}
			reps = append(reps, rep{n, res})
		}
		sort.Slice(reps, func(i, j int) bool { return reps[i].n < reps[j].n })
		for _, r := range reps {
			out[id] = append(out[id], r.res)
		}
	}
	return out, nil
}

// Aggregate makes one result of a check's repetitions: the verdict over all
// of them (any fail makes it fail; else any error makes it error; skip only
// when every repetition skipped), the tally, and the observations and
// evidence of the repetition that decided the verdict (the first fail, else
// the first error, else the last one). The reason leads with the tally when
// there was more than one repetition.
func Aggregate(reps []check.Result) (check.Result, Tally) {
	var t Tally
	for _, r := range reps {
		t.Add(r.Verdict)
	}
	pick := len(reps) - 1
	for _, v := range []check.Verdict{check.Fail, check.Error, check.Pass} {
		if i := firstWith(reps, v); i >= 0 {
			pick = i
			break
		}
	}
	res := reps[pick]
	var total check.Duration
	for _, r := range reps {
		total += r.Duration
	}
	res.Duration = total
	if len(reps) > 1 {
		res.Reason = fmt.Sprintf("%s; repetition %d: %s", t, pick+1, res.Reason)
	}
	return res, t
}

func firstWith(reps []check.Result, v check.Verdict) int {
	for i, r := range reps {
		if r.Verdict == v {
			return i
		}
	}
	return -1
}
