"""Runs one operation of a Python Pulumi project through the Automation API of Pulumi's Python SDK,
as an inline program: the SDK serves the program to the CLI (``--client``), so no language host is
needed, while the CLI, the engine and every plugin are the real ones. The inline program runs the
project's ``__main__.py`` (or the ``main`` of its Pulumi.yaml), as a file program is run.

    python scripts/inline/python.py <preview|up|refresh|destroy> <project folder> <stack>

Run it with the Python of the project's virtual environment (Pulumi's SDK and the project's
packages installed). Options come as JSON in PULUMI_INLINE_OPTIONS: {debug, logVerbosity,
logToStdErr, configFile, diff}. The CLI's output is written as it comes; the exit code is 0 when the operation
succeeded. When PULUMI_INLINE_RESULT names a file, the result is written there as JSON:
{summary, outputs, runtime: {python, pulumi}}.
"""

import json
import os
import platform
import re
import runpy
import sys
from importlib.metadata import version

import pulumi.automation as auto

OPERATIONS = ("preview", "up", "refresh", "destroy")


def read_project(work_dir):
    """The project's name and the file it runs, from its Pulumi.yaml."""
    with open(os.path.join(work_dir, "Pulumi.yaml"), encoding="utf-8") as f:
        text = f.read()
    name = re.search(r"^name:\s*(\S+)\s*$", text, re.M)
    if not name:
        raise SystemExit(f"{os.path.join(work_dir, 'Pulumi.yaml')} names no project")
    main = re.search(r"^main:\s*(\S+)\s*$", text, re.M)
    root = os.path.join(work_dir, main.group(1)) if main else work_dir
    program = root if os.path.isfile(root) else os.path.join(root, "__main__.py")
    return name.group(1), program


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in OPERATIONS:
        raise SystemExit("usage: python python.py <preview|up|refresh|destroy> <project folder> <stack>")
    op, work_dir, stack_name = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
    options = json.loads(os.environ.get("PULUMI_INLINE_OPTIONS") or "{}")
    project_name, program_file = read_project(work_dir)
    # The program imports its own modules as a file program does: from its folder.
    sys.path.insert(0, os.path.dirname(program_file))

    def program():
        runpy.run_path(program_file, run_name="__main__")

    # An inline program's folder goes in the workspace options (create_or_select_stack's own
    # work_dir is for local programs): the project's Pulumi.yaml and stack config are there.
    stack = auto.create_or_select_stack(
        stack_name=stack_name,
        project_name=project_name,
        program=program,
        opts=auto.LocalWorkspaceOptions(work_dir=work_dir),
    )
    flags = {
        "on_output": lambda text: print(text, flush=True),
        "on_error": lambda text: print(text, file=sys.stderr, flush=True),
    }
    if options.get("debug"):
        flags["debug"] = True
    if options.get("logVerbosity") is not None:
        flags["log_verbosity"] = int(options["logVerbosity"])
    if options.get("logToStdErr"):
        flags["log_to_std_err"] = True
    if options.get("configFile"):
        flags["config_file"] = options["configFile"]
    if options.get("diff") and op in ("preview", "up", "refresh"):
        flags["diff"] = True
    try:
        result = getattr(stack, op)(**flags)
    except auto.errors.CommandError:
        # The CLI's output was written as it came; the error repeats it.
        return 1
    result_file = os.environ.get("PULUMI_INLINE_RESULT")
    if result_file:
        summary = getattr(result, "change_summary", None)
        if summary is None and getattr(result, "summary", None) is not None:
            summary = result.summary.resource_changes
        outputs = {k: {"value": v.value, "secret": v.secret} for k, v in (getattr(result, "outputs", None) or {}).items()}
        runtime = {"python": platform.python_version(), "pulumi": version("pulumi")}
        with open(result_file, "w", encoding="utf-8") as f:
            json.dump({"summary": summary or {}, "outputs": outputs, "runtime": runtime}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
