package regression

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/reports/html"
)

// writeScaleInput writes releases × checks results files under dir, shaped
// like real runs: RA-order observations, churn measurements with 50 samples,
// per-datagram tables, a few regressions, fixes and missing checks.
func writeScaleInput(tb testing.TB, dir string, releases, checks int) {
	tb.Helper()
	ra, _ := json.Marshal([]map[string]any{
		{"ra_order": []string{"A", "B"}, "source": "2001:db8:a::10", "interface": "lan0", "prefix": "2001:db8:a::/64", "expected_routers": []string{"A"}, "sent": 60,
			"wire": []map[string]any{{"router": "A", "link": "lan0", "mac": "02:00:00:00:00:0a", "frames": 60}}, "table": map[string]any{"dst": "::/0", "gateway": "fe80::a", "interface": "lan0"}, "table_router": "A", "table_agrees": true},
		{"ra_order": []string{"A", "B"}, "source": "2001:db8:b::10", "interface": "lan0", "prefix": "2001:db8:b::/64", "expected_routers": []string{"B"}, "sent": 60,
			"wire": []map[string]any{{"router": "A", "link": "lan0", "mac": "02:00:00:00:00:0a", "frames": 60}}, "table": map[string]any{"dst": "::/0", "gateway": "fe80::a", "interface": "lan0"}, "table_router": "A", "table_agrees": true},
	})
	var samples []map[string]any
	for i := 0; i <= 50; i++ {
		samples = append(samples, map[string]any{"iteration": i * 5000, "elapsed": float64(i) / 40, "counters": map[string]int64{"sockstat.sockets.used": 140, "sockstat.TCP.alloc": 18, "proc.rss_bytes": 7800000 + int64(i)*1000}})
	}
	churn, _ := json.Marshal(map[string]any{"config": map[string]any{"family": "inet6", "type": "stream", "count": 250000}, "iterations": 250000, "failures": 0, "rate": 212000.0, "samples": samples})
	mapped, _ := json.Marshal(map[string]any{"datagrams": []map[string]any{{"n": 1, "outcome": "delivered"}, {"n": 2, "outcome": "delivered"}}})
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for ri := 0; ri < releases; ri++ {
		os, version, build := "macos", fmt.Sprintf("%d.%d", 14+ri/20, ri%20), fmt.Sprintf("%dA%d", 23+ri/20, 100+ri)
		if ri%4 == 3 {
			os, version, build = "linux", fmt.Sprintf("6.%d.%d", ri/4, ri%7), "debian-12"
		}
		r := &reports.Results{
			Run:     reports.Run{ID: fmt.Sprintf("b3%06x", ri), Start: start, End: start.Add(time.Minute), ToolVersion: "bench", Profile: "stock", Repeat: 1, Selected: checks},
			Release: reports.Release{ID: reports.ReleaseID(os, version, build), OS: os, Name: os, Version: version, Build: build, Kernel: "bench", Arch: "arm64"},
		}
		for ci := 0; ci < checks; ci++ {
			if (ci+ri)%97 == 0 {
				continue // missing here
			}
			id, obs := fmt.Sprintf("ipv6.rfc8028.bench-%03d", ci), json.RawMessage(ra)
			switch {
			case ci%10 == 1: // a churn measurement with 51 samples is ~10 kB: one check in ten
				id, obs = fmt.Sprintf("sockets.churn.bench-%03d", ci), churn
			case ci%4 == 2:
				id, obs = fmt.Sprintf("sockets.mapped-sendto.bench-%03d", ci), mapped
			}
			v := check.Pass
			if (ri/10+ci)%13 == 0 {
				v = check.Fail
			}
			var t reports.Tally // as results schema 2 records every check
			t.Add(v)
			r.Checks = append(r.Checks, reports.CheckResult{Expected: check.Pass, Repetitions: &t, Result: check.Result{
				ID: id, Title: "bench " + id, Spec: "RFC 8028 §3", Labels: []string{"bench", os}, Verdict: v,
				Reason: "the verdict's reason, a sentence of ordinary length for a check", Observations: obs,
				Evidence: []string{"evidence/" + id + "/capture.pcapng"}, Duration: check.Duration(50 * time.Millisecond)}})
		}
		if err := reports.Write(filepath.Join(dir, r.Release.ID), r); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkBuild100x200 is the scale the regression report must handle in
// under a second: 100 releases × 200 checks read, merged and rendered, with
// inputs as netconform run leaves them (report.html beside results.json, so
// cells link to it).
func BenchmarkBuild100x200(b *testing.B) { benchBuild(b, true, Options{}) }

// BenchmarkBuild100x200SelfContained also renders all 100 run reports (20,000
// check sections) into the output directory: the cost when inputs have no
// report.html or Options.SelfContained is set.
func BenchmarkBuild100x200SelfContained(b *testing.B) {
	benchBuild(b, false, Options{SelfContained: true})
}

func benchBuild(b *testing.B, withReports bool, opts Options) {
	in := b.TempDir()
	writeScaleInput(b, in, 100, 200)
	if withReports {
		files, _ := findFiles([]string{in})
		for _, f := range files {
			r, err := reports.Read(f)
			if err != nil {
				b.Fatal(err)
			}
			if err := html.WriteRelease(filepath.Dir(f), r); err != nil {
				b.Fatal(err)
			}
		}
	}
	out := b.TempDir()
	var size int64
	_ = filepath.WalkDir(in, func(_ string, d fs.DirEntry, _ error) error {
		if fi, err := d.Info(); err == nil && !d.IsDir() && d.Name() == ResultsFile {
			size += fi.Size()
		}
		return nil
	})
	b.ResetTimer()
	for b.Loop() {
		s, err := Build([]string{in}, out, opts)
		if err != nil {
			b.Fatal(err)
		}
		if s.Releases != 100 || s.Checks != 200 {
			b.Fatalf("releases %d checks %d", s.Releases, s.Checks)
		}
	}
	b.ReportMetric(float64(size)/1e6, "results-MB")
}
