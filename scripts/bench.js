#!/usr/bin/env node
/* npm run bench — build the package, then run every benchmark in bench/ and print one table. */
"use strict";
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { REPO_ROOT } = require("./pulumi-cli");

const build = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [REPO_ROOT] }), "-p", "tsconfig.build.json"], { cwd: REPO_ROOT, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
require(path.join(REPO_ROOT, "bench", "run.js"));
