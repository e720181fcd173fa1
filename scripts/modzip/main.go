// Command modzip writes what a Go module proxy serves for one version of a module that lives in a
// subfolder of this git repository — `<escaped module path>/@v/{list,VERSION.info,VERSION.mod,VERSION.zip}`
// under OUT — made from the committed tree at a revision with golang.org/x/mod/zip.CreateFromVCS:
// the same files, by the same rules, that the go command and proxy.golang.org make from the tag
// `SUBDIR/VERSION`. OUT is then a GOPROXY (`GOPROXY=file://OUT`). It prints the module's `h1:` hash,
// as go.sum records it.
//
//	go run . -repo ROOT -rev HEAD -subdir sdk -version v0.2.0 -out DIR
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

func main() {
	repo := flag.String("repo", ".", "the git repository's root")
	rev := flag.String("rev", "HEAD", "the revision whose committed tree is zipped")
	subdir := flag.String("subdir", "", "the module's folder inside the repository (where its go.mod is)")
	version := flag.String("version", "", "the module version, e.g. v0.2.0 (the tag is SUBDIR/VERSION)")
	out := flag.String("out", "", "the GOPROXY folder to write into")
	flag.Parse()
	if err := run(*repo, *rev, *subdir, *version, *out); err != nil {
		fmt.Fprintf(os.Stderr, "modzip: %v\n", err)
		os.Exit(1)
	}
}

func git(repo string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

func run(repo, rev, subdir, version, out string) error {
	if !semver.IsValid(version) || semver.Canonical(version) != version {
		return fmt.Errorf("%q is not a canonical semantic version such as v0.2.0", version)
	}
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	gomod, err := git(repo, "show", rev+":"+filepath.ToSlash(filepath.Join(subdir, "go.mod")))
	if err != nil {
		return err
	}
	path := modfile.ModulePath(gomod)
	if path == "" {
		return fmt.Errorf("%s/go.mod at %s names no module", subdir, rev)
	}
	m := module.Version{Path: path, Version: version}
	if err := module.Check(m.Path, m.Version); err != nil {
		return err
	}
	when, err := git(repo, "log", "-1", "--format=%cI", rev)
	if err != nil {
		return err
	}
	stamp, err := time.Parse(time.RFC3339, strings.TrimSpace(string(when)))
	if err != nil {
		return err
	}
	escaped, err := module.EscapePath(m.Path)
	if err != nil {
		return err
	}
	dir := filepath.Join(out, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	zipFile := filepath.Join(dir, version+".zip")
	f, err := os.Create(zipFile)
	if err != nil {
		return err
	}
	if err := modzip.CreateFromVCS(f, m, repo, rev, subdir); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    string
	}{version, stamp.UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		version + ".mod":  gomod,
		version + ".info": append(info, '\n'),
		"list":            []byte(version + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	sum, err := dirhash.HashZip(zipFile, dirhash.Hash1)
	if err != nil {
		return err
	}
	fmt.Printf("%s %s %s\n", m.Path, m.Version, sum)
	return nil
}
