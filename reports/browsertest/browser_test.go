package browsertest

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/netconform/netconform/reports/html"
	"github.com/netconform/netconform/reports/regression"
)

// chromium returns a browser context, or skips the test when Chromium is not
// installed (CI installs it with scripts/install-chromium.sh).
func chromium(t *testing.T) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		p, err := exec.LookPath("chromium")
		if err != nil {
			t.Skip("chromium is not installed: run scripts/install-chromium.sh to enable the browser tests")
		}
		path = p
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return bctx
}

func fileURL(p string) string {
	abs, _ := filepath.Abs(p)
	return (&url.URL{Scheme: "file", Path: abs}).String()
}

// pageFacts is what the tests read from the DOM after the page ran.
type pageFacts struct {
	Title     string   `json:"title"`
	Pwned     bool     `json:"pwned"`
	Scripts   int      `json:"scripts"`
	Images    int      `json:"images"`
	Text      string   `json:"text"`
	Links     []string `json:"links"`     // resolved hrefs of file: links
	Fragments []string `json:"fragments"` // same-page #ids that do not exist
}

const factsJS = `(() => {
  const links = [], broken = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const u = new URL(a.href, document.baseURI);
    if (u.protocol !== 'file:') continue;
    if (u.pathname === location.pathname) {
      if (u.hash && !document.getElementById(decodeURIComponent(u.hash.slice(1)))) broken.push(u.hash);
      continue;
    }
    links.push(u.href);
  }
  return {title: document.title, pwned: window.__pwned !== undefined,
    scripts: document.scripts.length, images: document.images.length,
    text: document.body.innerText, links: links, fragments: broken};
})()`

// load opens file in the browser, saves a screenshot beside the test's
// output (kept under $NETCONFORM_SCREENSHOTS when set) and returns its facts.
func load(t *testing.T, ctx context.Context, file, shot string, width int64) pageFacts {
	t.Helper()
	var viewport []chromedp.EmulateViewportOption
	if width < 500 {
		viewport = append(viewport, chromedp.EmulateMobile)
	}
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(width, 900, viewport...),
		chromedp.Navigate(fileURL(file)),
		chromedp.WaitReady(chromedp.CSS("body")),
	); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	facts, err := chromedp.Run(ctx, chromedp.Evaluate[pageFacts](factsJS))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 makes a PNG, lower a JPEG
	if err != nil {
		t.Fatalf("%s: screenshot: %v", file, err)
	}
	dir := os.Getenv("NETCONFORM_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, shot), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", filepath.Join(dir, shot))
	return facts
}

// checkLinks stats every file link a person could click.
func checkLinks(t *testing.T, page string, f pageFacts) {
	t.Helper()
	if len(f.Links) == 0 {
		t.Errorf("%s: no links to files at all", page)
	}
	for _, l := range f.Links {
		u, err := url.Parse(l)
		if err != nil {
			t.Errorf("%s: bad link %s", page, l)
			continue
		}
		if _, err := os.Stat(u.Path); err != nil {
			t.Errorf("%s: link %s does not resolve to a file: %v", page, l, err)
		}
	}
	if len(f.Fragments) > 0 {
		t.Errorf("%s: links to missing sections %v", page, f.Fragments)
	}
}

func noScriptRan(t *testing.T, page string, f pageFacts, scripts int) {
	t.Helper()
	if f.Pwned || f.Title == "PWNED" {
		t.Errorf("%s: the injected script ran (title %q)", page, f.Title)
	}
	if f.Scripts != scripts || f.Images != 0 {
		t.Errorf("%s: %d scripts and %d images in the DOM, want %d and 0", page, f.Scripts, f.Images, scripts)
	}
	if !strings.Contains(f.Text, "<script>window.__pwned=1") {
		t.Errorf("%s: the payload is not shown as text", page)
	}
}

func TestReleaseReportInBrowser(t *testing.T) {
	ctx := chromium(t)
	// A fixture release as a person gets it.
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "testdata", "fixture-macos-26.0"))); err != nil {
		t.Fatal(err)
	}
	r := mustRead(t, filepath.Join(dir, "results.json"))
	if err := html.WriteRelease(dir, r); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, html.FileName)
	f := load(t, ctx, page, "release-desktop.png", 1280)
	for _, want := range []string{"netconform on macOS 26.0 (25A354)", "4 fail", "8 pass", "1 skip", "not as expected", "✗ disagrees",
		"sockets.churn.stream6", "first failure", "silent drop", "said success but nothing arrived", "sosend_reinject() failed, errno 22 (EINVAL)", "samelink-ba.pcapng (missing)", "FB00000001"} {
		if !strings.Contains(f.Text, want) {
			t.Errorf("release report does not show %q", want)
		}
	}
	checkLinks(t, page, f)
	load(t, ctx, page, "release-phone.png", 390)

	// A repeated run (repeat 10) with a flaky check and a check that never
	// ran, as schema 2 records them.
	dir5 := t.TempDir()
	if err := os.CopyFS(dir5, os.DirFS(filepath.Join("..", "testdata", "fixture-macos-26.5"))); err != nil {
		t.Fatal(err)
	}
	if err := html.WriteRelease(dir5, mustRead(t, filepath.Join(dir5, "results.json"))); err != nil {
		t.Fatal(err)
	}
	page5 := filepath.Join(dir5, html.FileName)
	f5 := load(t, ctx, page5, "release-repeated.png", 1280)
	for _, want := range []string{"netconform on macOS 26.5 (25F71), profile stock", "each check repeated 10 times", "12 of 13 selected checks ran",
		"1 never ran", "1 of the errors never ran", "1 flaky", "fail 3 of 10, pass 7 of 10", "flaky: the repetitions disagree", "fail 10 of 10",
		"Selected but never ran (counted as an error; nothing was observed): its suite (sockets) was stopped"} {
		if !strings.Contains(f5.Text, want) {
			t.Errorf("repeated release report does not show %q", want)
		}
	}
	if !strings.Contains(f5.Title, "profile stock") {
		t.Errorf("title %q does not name the profile", f5.Title)
	}
	checkLinks(t, page5, f5)

	// The hostile release.
	hostile, _ := writeHostile(t)
	hpage := filepath.Join(hostile, html.FileName)
	hf := load(t, ctx, hpage, "release-hostile.png", 1280)
	noScriptRan(t, hpage, hf, 0)
}

func TestRegressionReportInBrowser(t *testing.T) {
	ctx := chromium(t)
	_, reg := writeHostile(t)
	page := filepath.Join(reg, regression.HTMLFile)
	f := load(t, ctx, page, "regression-desktop.png", 1280)
	noScriptRan(t, page, f, 1)
	checkLinks(t, page, f)
	for _, want := range []string{"Regressions (2)", "Verdicts that disagree within a release (3)", "Flaky across releases (2)", "▼ regressed", "missing",
		"6.18.44 (debian-12)", "source-routing", "fail 3 of 10", "≈ flaky", "never ran", "fail 4 of 16 (25.0%)", "Linux, profile source-routing: passing"} {
		if !strings.Contains(f.Text, want) {
			t.Errorf("regression report does not show %q", want)
		}
	}
	// The row of a check that regressed between two fixture releases.
	row, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(() => { const r = document.querySelector('#regressions tr[data-check="sockets.mapped-sendto.self"]'); return r ? r.innerText : ""; })()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sockets.mapped-sendto.self", "macOS 15.5 (24F74)", "macOS 15.6.1 (24G90)"} {
		if !strings.Contains(row, want) {
			t.Errorf("regression row %q lacks %q", row, want)
		}
	}
	// The filters work without leaving the page.
	type visible struct {
		Rows    int `json:"rows"`
		MacCols int `json:"macCols"`
	}
	filter := func(os, verdict string) visible {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.CSS(`#filters select[name=os]`), os),
			chromedp.SetValue(chromedp.CSS(`#filters select[name=verdict]`), verdict),
		); err != nil {
			t.Fatal(err)
		}
		v, err := chromedp.Run(ctx, chromedp.Evaluate[visible](`(() => {
		  document.getElementById('filters').dispatchEvent(new Event('change'));
		  const shown = el => el.offsetParent !== null;
		  return {rows: [...document.querySelectorAll('#matrix tbody tr')].filter(shown).length,
		    macCols: [...document.querySelectorAll('#matrix th.rel[data-os=macos]')].filter(shown).length};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := filter("", "regressed"); v.Rows != 2 {
		t.Errorf("verdict filter 'regressed' shows %d rows, want 2", v.Rows)
	}
	// mapped-sendto.peer in the fixtures, mapped-sendto.self in the hostile
	// run (the fixtures' 26.5 and the hostile run add one disagreement each
	// to the fixtures' 26.0)
	if v := filter("", "flaky"); v.Rows != 2 {
		t.Errorf("verdict filter 'flaky' shows %d rows, want 2", v.Rows)
	}
	if v := filter("linux", "flaky"); v.Rows != 0 {
		t.Errorf("verdict filter 'flaky' on Linux shows %d rows, want 0", v.Rows)
	}
	if v := filter("linux", ""); v.MacCols != 0 || v.Rows == 0 {
		t.Errorf("OS filter linux: %d macOS columns and %d rows visible", v.MacCols, v.Rows)
	}
	if v := filter("", ""); v.MacCols == 0 {
		t.Errorf("clearing the filters does not show macOS again")
	}
	load(t, ctx, page, "regression-phone.png", 390)
}
