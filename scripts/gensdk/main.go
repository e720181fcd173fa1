// Command gensdk writes the Python and Go SDKs of a Pulumi package schema with Pulumi's own code
// generators, pkg/codegen/python and pkg/codegen/go of github.com/pulumi/pulumi/pkg/v3 — the
// functions the official language hosts call when `pulumi package gen-sdk` asks them to generate a
// package — without needing those hosts. It binds the schema as the CLI does, hands the generators
// the re-serialized package as the CLI hands it to a host, and writes each language afresh into
// OUT/<language>.
//
//	go run . -schema plugin/schema.json -out sdk [-language python,go] [-overlays DIR]
//
// Overlays (DIR/python/...) are extra files the Python generator carries into the SDK, as
// `pulumi package gen-sdk --overlays` does; Go takes none.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is the name the generated files' headers give for what wrote them.
const tool = "pulumi-jdcloud-image gensdk (pkg/codegen)"

// noReferences is the loader for a schema that refers to no other package: any request is an error.
type noReferences struct{}

var errReference = errors.New("the schema refers to another package, which this generator does not load")

func (noReferences) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errReference
}
func (noReferences) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errReference
}
func (noReferences) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errReference
}
func (noReferences) LoadPackageReferenceV2(context.Context, *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, errReference
}

// bind binds a schema spec, failing on any error diagnostic.
func bind(spec schema.PackageSpec) (*schema.Package, error) {
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return pkg, nil
}

// load reads and binds the schema, then binds its re-serialized form: what the CLI sends a host.
func load(file string) (*schema.Package, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	pkg, err := bind(spec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	normalized, err := pkg.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var again schema.PackageSpec
	if err := json.Unmarshal(normalized, &again); err != nil {
		return nil, err
	}
	return bind(again)
}

// readOverlays reads every file under dir (if it exists) as path → contents.
func readOverlays(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return files, nil
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// What running the files leaves beside them (Python's bytecode) is not part of the SDK.
		if d.IsDir() {
			if d.Name() == "__pycache__" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".pyc") {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)], err = os.ReadFile(path)
		return err
	})
	return files, err
}

// write replaces dir with exactly these files.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(out, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func generate(language, schemaFile, out, overlays string) error {
	pkg, err := load(schemaFile)
	if err != nil {
		return err
	}
	var files map[string][]byte
	switch language {
	case "python":
		extra, err := readOverlays(filepath.Join(overlays, "python"))
		if err != nil {
			return err
		}
		files, err = python.GeneratePackage(tool, pkg, extra, noReferences{})
		if err != nil {
			return err
		}
	case "go":
		if overlays != "" {
			if extra, err := readOverlays(filepath.Join(overlays, "go")); err != nil || len(extra) > 0 {
				return errors.New("the Go generator takes no overlays")
			}
		}
		files, err = gogen.GeneratePackage(tool, pkg, nil)
		if err != nil {
			return err
		}
	default:
		return fmt.Errorf("no generator for %q: use python or go", language)
	}
	return write(filepath.Join(out, language), files)
}

func main() {
	schemaFile := flag.String("schema", "plugin/schema.json", "the package schema")
	out := flag.String("out", "sdk", "the folder to write <language>/ into")
	languages := flag.String("language", "python,go", "the languages to generate, comma-separated")
	overlays := flag.String("overlays", "", "a folder of extra files per language (<dir>/python/...)")
	flag.Parse()
	for _, language := range strings.Split(*languages, ",") {
		if err := generate(strings.TrimSpace(language), *schemaFile, *out, *overlays); err != nil {
			fmt.Fprintf(os.Stderr, "gensdk: %s: %v\n", language, err)
			os.Exit(1)
		}
	}
}
