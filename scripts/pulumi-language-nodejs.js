#!/usr/bin/env node
/*
 * A stand-in Node.js language host for the Pulumi CLI, used only where the
 * official one (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
 * cannot be built because the Go module proxy refuses it. It implements the
 * LanguageRuntime gRPC service over the program's own @pulumi/pulumi: `Run`
 * starts `node <program>/node_modules/@pulumi/pulumi/cmd/run` with the arguments
 * and PULUMI_CONFIG environment the official host passes, so the program runs
 * exactly as it does under the official host (ts-node, entry point, exit codes).
 * Dependency installation, code generation and packing are not implemented.
 *
 * Launched by the CLI as: pulumi-language-nodejs [-flag=value ...] <engine-address>
 */
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");

const VERSION = process.env.PULUMI_JDCLOUD_LANGUAGE_HOST_VERSION || "3.248.0";
// cmd/run exits with this code after it printed an error the user can act on.
const BAIL_EXIT_CODE = 32;

function parseLaunchArgs(argv) {
  const flags = {};
  const positional = [];
  for (const arg of argv) {
    const m = /^--?([a-zA-Z-]+)(?:=(.*))?$/.exec(arg);
    if (m) flags[m[1]] = m[2] === undefined ? "true" : m[2];
    else positional.push(arg);
  }
  return { flags, engineAddress: positional[0] || "" };
}

/** Loads a module of @pulumi/pulumi from the program's folder (every Node.js Pulumi program has it). */
function fromProgram(request, dirs) {
  const resolved = require.resolve(request, { paths: [...dirs.filter(Boolean), __dirname] });
  return require(resolved);
}

function main() {
  const { flags, engineAddress: launchEngine } = parseLaunchArgs(process.argv.slice(2));
  let engineAddress = launchEngine;
  const running = new Set();
  const root = flags.root || process.cwd();
  const dirs = [root, process.cwd()];
  const grpc = fromProgram("@grpc/grpc-js", [path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: dirs.concat(__dirname) }))]);
  const langproto = fromProgram("@pulumi/pulumi/proto/language_pb", dirs);
  const langrpc = fromProgram("@pulumi/pulumi/proto/language_grpc_pb", dirs);
  const plugproto = fromProgram("@pulumi/pulumi/proto/plugin_pb", dirs);
  const { Empty } = fromProgram("google-protobuf/google/protobuf/empty_pb", [path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: dirs.concat(__dirname) }))]);

  const unimplemented = (name) => (call, callback) => {
    const error = { code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by this language host` };
    if (callback) callback(error);
    else call.emit("error", error);
  };

  const service = {
    handshake(call, callback) {
      const req = call.request;
      if (req.getEngineAddress()) engineAddress = req.getEngineAddress();
      callback(null, new langproto.LanguageHandshakeResponse());
    },
    getRequiredPlugins(_call, callback) {
      callback(null, new langproto.GetRequiredPluginsResponse());
    },
    getRequiredPackages(_call, callback) {
      callback(null, new langproto.GetRequiredPackagesResponse());
    },
    getPluginInfo(_call, callback) {
      const info = new plugproto.PluginInfo();
      info.setVersion(VERSION);
      callback(null, info);
    },
    about(_call, callback) {
      const res = new langproto.AboutResponse();
      res.setExecutable(process.execPath);
      res.setVersion(process.version);
      callback(null, res);
    },
    getProgramDependencies(_call, callback) {
      callback(null, new langproto.GetProgramDependenciesResponse());
    },
    runtimeOptionsPrompts(_call, callback) {
      callback(null, new langproto.RuntimeOptionsResponse());
    },
    installDependencies(call) {
      call.end();
    },
    cancel(_call, callback) {
      callback(null, new Empty());
    },
    run(call, callback) {
      const req = call.request;
      const info = req.getInfo();
      const options = (info && info.getOptions() && info.getOptions().toJavaScript()) || {};
      const programDir = (info && info.getProgramDirectory()) || req.getPwd() || root;
      const rootDir = (info && info.getRootDirectory()) || root;
      const entry = (info && info.getEntryPoint()) || req.getProgram() || ".";
      let runScript;
      try {
        runScript = require.resolve("@pulumi/pulumi/cmd/run", { paths: [programDir, rootDir] });
      } catch (err) {
        const res = new langproto.RunResponse();
        res.setError(`could not find @pulumi/pulumi in ${programDir}: run 'npm install' there first`);
        return callback(null, res);
      }
      const config = {};
      req.getConfigMap().forEach((value, key) => {
        config[key] = value;
      });
      const nodeArgs = typeof options.nodeargs === "string" && options.nodeargs ? options.nodeargs.split(/\s+/) : [];
      const args = [
        ...nodeArgs,
        runScript,
        "--monitor", req.getMonitorAddress(),
        "--engine", engineAddress,
        "--project", req.getProject(),
        "--stack", req.getStack(),
        "--pwd", req.getPwd() || programDir,
        "--parallel", String(req.getParallel()),
        "--root-directory", rootDir,
        ...(req.getOrganization() ? ["--organization", req.getOrganization()] : []),
        ...(req.getDryrun() ? ["--dry-run"] : []),
        entry,
        ...req.getArgsList(),
      ];
      const env = {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
        PULUMI_NODEJS_TYPESCRIPT: options.typescript === false || options.typescript === "false" ? "false" : "true",
        ...(typeof options.tsconfig === "string" ? { PULUMI_NODEJS_TSCONFIG_PATH: options.tsconfig } : {}),
      };
      const child = spawn(process.execPath, args, { cwd: req.getPwd() || programDir, env, stdio: ["ignore", "inherit", "inherit"] });
      running.add(child);
      // If the engine goes away mid-run, the program must not outlive it.
      call.on("cancelled", () => {
        if (!running.has(child)) return;
        child.kill("SIGKILL");
        process.exit(1);
      });
      child.on("error", (err) => {
        const res = new langproto.RunResponse();
        res.setError(`could not start node: ${err.message}`);
        callback(null, res);
      });
      child.on("exit", (code, signal) => {
        running.delete(child);
        const res = new langproto.RunResponse();
        if (code === BAIL_EXIT_CODE) res.setBail(true);
        else if (code !== 0) res.setError(signal ? `Program was killed by ${signal}` : `Program exited with non-zero exit code: ${code}`);
        callback(null, res);
      });
    },
  };
  for (const name of Object.keys(langrpc.LanguageRuntimeService)) {
    const method = name.charAt(0).toLowerCase() + name.slice(1);
    if (!service[method]) service[method] = unimplemented(name);
  }

  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      for (const child of running) child.kill("SIGKILL");
      process.exit(1);
    });
  }

  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(langrpc.LanguageRuntimeService, service);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      process.stderr.write(`pulumi-language-nodejs: ${err.message}\n`);
      process.exit(1);
    }
    process.stdout.write(`${port}\n`);
  });
}

main();
