#!/usr/bin/env node
// Entry point of the `llm-bench` CLI. The sources are TypeScript; tsx compiles them on load
// so `npx llm-bench` works straight after `npm ci` with no build step.
require('tsx/cjs');
require('../loadtest/cli/main.ts').main(process.argv);
