// Runs one operation of a Go Pulumi project through the Automation API of Pulumi's Go SDK, as an
// inline program: the SDK serves the program to the CLI (--client), so no language host is needed,
// while the CLI, the engine and every plugin are the real ones.
//
// scripts/inline.ts builds this file together with the project's own files, all but main.go: the
// project keeps its program in a function `program(ctx *pulumi.Context) error` and its main.go is
// `pulumi.Run(program)`, so the same program runs as a file program wherever a Go host exists.
//
//	runner <preview|up|refresh|destroy> <project folder> <stack>
//
// Options come as JSON in PULUMI_INLINE_OPTIONS: {debug, logVerbosity, logToStdErr, configFile, diff}. The CLI's
// output is written as it comes; the exit code is 0 when the operation succeeded. When
// PULUMI_INLINE_RESULT names a file, the result is written there as JSON: {summary, outputs,
// runtime: {go}}.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/debug"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
)

type inlineOptions struct {
	Debug        bool   `json:"debug"`
	LogVerbosity *uint  `json:"logVerbosity"`
	LogToStdErr  bool   `json:"logToStdErr"`
	ConfigFile   string `json:"configFile"`
	Diff         bool   `json:"diff"`
}

type inlineResult struct {
	Summary map[string]int    `json:"summary"`
	Outputs auto.OutputMap    `json:"outputs"`
	Runtime map[string]string `json:"runtime"`
}

// changes is an update's change counts by operation (empty when the update reported none).
func changes(summary auto.UpdateSummary) map[string]int {
	if summary.ResourceChanges == nil {
		return map[string]int{}
	}
	return *summary.ResourceChanges
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 4 {
		fail("usage: runner <preview|up|refresh|destroy> <project folder> <stack>")
	}
	op, stackName := os.Args[1], os.Args[3]
	workDir, err := filepath.Abs(os.Args[2])
	if err != nil {
		fail("%v", err)
	}
	var options inlineOptions
	if raw := os.Getenv("PULUMI_INLINE_OPTIONS"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &options); err != nil {
			fail("PULUMI_INLINE_OPTIONS: %v", err)
		}
	}
	project, err := os.ReadFile(filepath.Join(workDir, "Pulumi.yaml"))
	if err != nil {
		fail("%v", err)
	}
	name := regexp.MustCompile(`(?m)^name:\s*(\S+)\s*$`).FindSubmatch(project)
	if name == nil {
		fail("%s names no project", filepath.Join(workDir, "Pulumi.yaml"))
	}

	ctx := context.Background()
	stack, err := auto.UpsertStackInlineSource(ctx, stackName, string(name[1]), program, auto.WorkDir(workDir))
	if err != nil {
		fail("%v", err)
	}
	logging := debug.LoggingOptions{LogLevel: options.LogVerbosity, LogToStdErr: options.LogToStdErr, Debug: options.Debug}
	result := inlineResult{Runtime: map[string]string{"go": runtime.Version()}}
	switch op {
	case "preview":
		var res auto.PreviewResult
		opts := []optpreview.Option{optpreview.ProgressStreams(os.Stdout), optpreview.ErrorProgressStreams(os.Stderr),
			optpreview.DebugLogging(logging), optpreview.ConfigFile(options.ConfigFile)}
		if options.Diff {
			opts = append(opts, optpreview.Diff())
		}
		res, err = stack.Preview(ctx, opts...)
		result.Summary = map[string]int{}
		for kind, n := range res.ChangeSummary {
			result.Summary[string(kind)] = n
		}
	case "up":
		var res auto.UpResult
		res, err = stack.Up(ctx, optup.ProgressStreams(os.Stdout), optup.ErrorProgressStreams(os.Stderr), optup.DebugLogging(logging),
			optup.ConfigFile(options.ConfigFile))
		result.Outputs = res.Outputs
		result.Summary = changes(res.Summary)
	case "refresh":
		var res auto.RefreshResult
		res, err = stack.Refresh(ctx, optrefresh.ProgressStreams(os.Stdout), optrefresh.ErrorProgressStreams(os.Stderr),
			optrefresh.DebugLogging(logging), optrefresh.ConfigFile(options.ConfigFile))
		result.Summary = changes(res.Summary)
	case "destroy":
		var res auto.DestroyResult
		res, err = stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout), optdestroy.ErrorProgressStreams(os.Stderr),
			optdestroy.DebugLogging(logging), optdestroy.ConfigFile(options.ConfigFile))
		result.Summary = changes(res.Summary)
	default:
		fail("unknown operation %q: use preview, up, refresh or destroy", op)
	}
	if err != nil {
		// The CLI's output was written as it came; the error repeats it.
		os.Exit(1)
	}
	if file := os.Getenv("PULUMI_INLINE_RESULT"); file != "" {
		text, err := json.Marshal(result)
		if err != nil {
			fail("%v", err)
		}
		if err := os.WriteFile(file, text, 0o600); err != nil {
			fail("%v", err)
		}
	}
}
