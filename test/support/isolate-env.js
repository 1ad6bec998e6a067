// Every test process reads prices from the shipped table unless a test points elsewhere: a price
// file a developer refreshed in their home folder (llm-bench prices --refresh) must not change results.
const path = require('node:path');
const os = require('node:os');
process.env.LLM_BENCH_PRICES_FILE ??= path.join(os.tmpdir(), `llm-bench-no-prices-${process.pid}.json`);
