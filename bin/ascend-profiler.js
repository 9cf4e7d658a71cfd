#!/usr/bin/env node
// Entry point of the `ascend-profiler` command (built by `npm run build:cli`).
require('../lib-cli/cli.js')
  .main(process.argv.slice(2))
  .then(code => {
    process.exitCode = code;
  });
