package regression

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/netconform/netconform/reports"
)

// ResultsFile is the name Build looks for under directory inputs.
const ResultsFile = "results.json"

// Problem is an input Build could not use: reported by name in the summary,
// regression.json and the page, and skipped.
type Problem struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// loaded is one readable results file.
type loaded struct {
	file string // as found (input-relative)
	dir  string // its directory: evidence paths are relative to it
	r    *reports.Results
}

// findFiles expands inputs: a file is taken as it is, a directory is searched
// recursively for results.json (symbolic links are not followed, so a link
// loop cannot hang the report). Inputs that do not exist are problems.
func findFiles(inputs []string) ([]string, []Problem) {
	var files []string
	var problems []Problem
	seen := map[string]bool{}
	addFile := func(p string) {
		key := p
		if abs, err := filepath.Abs(p); err == nil {
			key = abs
		}
		if !seen[key] {
			seen[key] = true
			files = append(files, p)
		}
	}
	for _, in := range inputs {
		fi, err := os.Stat(in)
		if err != nil {
			problems = append(problems, Problem{File: in, Reason: err.Error()})
			continue
		}
		if !fi.IsDir() {
			addFile(in)
			continue
		}
		err = filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				problems = append(problems, Problem{File: p, Reason: err.Error()})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() && d.Name() == ResultsFile && d.Type().IsRegular() {
				addFile(p)
			}
			return nil
		})
		if err != nil {
			problems = append(problems, Problem{File: in, Reason: err.Error()})
		}
	}
	sort.Strings(files)
	return files, problems
}

// loadAll reads files with up to workers at once. Unreadable, corrupt,
// truncated and foreign files become problems; files of an unknown schema
// version make the whole build fail (a newer netconform wrote them: guessing
// their meaning would give wrong verdicts), named in the error.
func loadAll(files []string, workers int) ([]loaded, []Problem, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		l   loaded
		err error
	}
	out := make([]result, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(workers, max(1, len(files))); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r, err := reports.Read(files[i])
				out[i] = result{loaded{file: files[i], dir: filepath.Dir(files[i]), r: r}, err}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()

	var ok []loaded
	var problems []Problem
	var unknown []error
	for i, res := range out {
		switch {
		case errors.Is(res.err, reports.ErrUnknownSchema):
			unknown = append(unknown, res.err)
		case res.err != nil:
			problems = append(problems, Problem{File: files[i], Reason: res.err.Error()})
		default:
			ok = append(ok, res.l)
		}
	}
	if len(unknown) > 0 {
		return nil, nil, fmt.Errorf("regression: %d results file(s) of an unknown schema version (use the netconform that wrote them): %w", len(unknown), errors.Join(unknown...))
	}
	return dedupe(ok, &problems), problems, nil
}

// dedupe drops a run seen twice (the same results.json copied into two
// artifacts): same release, run id and start. Several runs of one release are
// kept; only the identical run is not counted twice.
func dedupe(ls []loaded, problems *[]Problem) []loaded {
	type key struct{ rel, run, start string }
	first := map[key]string{}
	var out []loaded
	for _, l := range ls {
		k := key{l.r.Release.ID, l.r.Run.ID, l.r.Run.Start.String()}
		if f, dup := first[k]; dup {
			*problems = append(*problems, Problem{File: l.file, Reason: fmt.Sprintf("same run (%s of %s) as %s; counted once", l.r.Run.ID, l.r.Release.ID, f)})
			continue
		}
		first[k] = l.file
		out = append(out, l)
	}
	return out
}
