#!/usr/bin/env node
/* npm run bench — build the package, then run every benchmark in bench/ and print one table. */
"use strict";
const path = require("node:path");
const { REPO_ROOT, buildPackage } = require("./pulumi-cli");

const built = buildPackage();
if (built !== 0) process.exit(built);
require(path.join(REPO_ROOT, "bench", "run.js"));
