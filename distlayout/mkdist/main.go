// Command mkdist builds netconform's release tarballs (`make dist`): for each
// platform given as os/arch (default: every one of distlayout.Platforms),
// dist/netconform-<version>-<os>-<arch>.tar.gz and a SHA256SUMS line for it.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/netconform/netconform/distlayout"
)

func main() {
	version := flag.String("version", "", "version stamped into netconform and its tarball's name (required)")
	out := flag.String("out", "dist", "directory for the tarballs")
	module := flag.String("module", ".", "the netconform checkout to build")
	mtime := flag.Int64("mtime", 0, "Unix time stamped on every archive entry (0: now); make dist passes the commit's")
	goCmd := flag.String("go", "go", "the go command")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: mkdist -version V [-out dir] [os/arch ...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *version == "" {
		flag.Usage()
		os.Exit(2)
	}
	platforms := distlayout.Platforms
	if flag.NArg() > 0 {
		platforms = nil
		for _, a := range flag.Args() {
			p, err := distlayout.ParsePlatform(a)
			if err != nil {
				fmt.Fprintln(os.Stderr, "mkdist:", err)
				os.Exit(2)
			}
			platforms = append(platforms, p)
		}
	}
	var mt time.Time
	if *mtime > 0 {
		mt = time.Unix(*mtime, 0)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var sums strings.Builder
	for _, p := range platforms {
		start := time.Now()
		path, err := distlayout.Build(ctx, distlayout.BuildOptions{Version: *version, Platform: p, ModuleDir: *module,
			OutDir: *out, Go: *goCmd, ModTime: mt, Log: os.Stderr})
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkdist:", err)
			os.Exit(1)
		}
		sum, size, err := sha256File(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkdist:", err)
			os.Exit(1)
		}
		fmt.Fprintf(&sums, "%s  %s\n", sum, filepath.Base(path))
		fmt.Printf("%s  %.1f MB  (%.0f s)\n", path, float64(size)/1e6, time.Since(start).Seconds())
	}
	sumsPath := filepath.Join(*out, "SHA256SUMS")
	if err := os.WriteFile(sumsPath, []byte(sums.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "mkdist:", err)
		os.Exit(1)
	}
	fmt.Println(sumsPath)
}

func sha256File(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}
