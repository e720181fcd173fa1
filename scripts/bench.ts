/** npm run bench — build the package, then run every benchmark in bench/ and print one table. */
import { buildPackage } from "./toolchain";

const built = buildPackage();
if (built !== 0) process.exit(built);
require("../bench/run");
