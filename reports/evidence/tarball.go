package evidence

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// writeTarGz archives dir as file, with entries under prefix/, written to a
// temporary file renamed into place once complete.
func writeTarGz(file, dir, prefix string) (err error) {
	tmp := file + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	if err := addTree(tw, dir, prefix); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

// addTree adds dir's directories and regular files under prefix/. Only
// those go in: a symbolic link could point anywhere on the machine, and what
// it points at is not evidence the check wrote; nor do the .tmp files of
// writes in progress.
func addTree(tw *tar.Writer, dir, prefix string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() && !d.IsDir() {
			return nil
		}
		if filepath.Ext(p) == ".tmp" {
			return nil
		}
		return addEntry(tw, p, d, path.Join(prefix, filepath.ToSlash(rel)))
	})
}

// addEntry writes one directory or regular file as name, without its
// owner.
func addEntry(tw *tar.Writer, p string, d fs.DirEntry, name string) error {
	info, err := d.Info()
	if err != nil {
		return err
	}
	h, err := tar.FileInfoHeader(info, "")
	if err != nil {
		return err
	}
	h.Name = name
	if d.IsDir() {
		h.Name += "/"
	}
	// Owner names and ids say who ran the check on which machine.
	h.Uid, h.Gid, h.Uname, h.Gname = 0, 0, "", ""
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	if d.IsDir() {
		return nil
	}
	src, err := os.Open(p)
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = io.Copy(tw, src)
	return err
}
