import { fleetIssues } from '../support/fleet-issues';

/** A fleet with one deployment; `extra` lines go inside the deployment, `top` lines at the top level. */
function fleet(extra: string[] = [], top: string[] = [], model = 'llama-2-7b', instanceType = 'ml.g5.12xlarge'): string {
  return [
    'name: bad',
    ...top,
    'defaults:',
    '  acceptEula: true',
    'deployments:',
    `  - model: ${model}`,
    `    instanceType: ${instanceType}`,
    ...extra.map((l) => `    ${l}`),
  ].join('\n');
}

const issuesOf = fleetIssues;

const D = 'deployments[0]';

/** [case, fleet YAML, path the message must name, text the message must contain]. */
const CASES: [string, string, string, RegExp][] = [
  ['tp not dividing heads', fleet(['tp: 3']), `${D}.tp`, /tp 3 must divide llama-2-7b's 32 attention heads/],
  ['tp above accelerators', fleet(['tp: 8']), `${D}.tp`, /tp 8 exceeds the 4 accelerators of ml\.g5\.12xlarge; allowed 1\.\.4/],
  ['tp zero (schema)', fleet(['tp: 0']), `${D}.tp`, /Too small/],
  ['tp not a number', fleet(['tp: four']), `${D}.tp`, /expected number/],
  ['copies × tp beyond accelerators', fleet(['tp: 2', 'copies: 3']), `${D}.copies`, /copies 3 × tp 2 = 6 accelerators.*allowed copies ≤ 2/],
  ['copies on a variant', fleet(['layout: variant', 'tp: 1', 'copies: 2']), `${D}.copies`, /needs layout: inference-components/],
  ['unknown model', fleet([], [], 'llama-2-7bb'), `${D}.model`, /unknown model 'llama-2-7bb'; did you mean/],
  ['unknown instance type', fleet([], [], 'llama-2-7b', 'ml.g9.2xlarge'), `${D}.instanceType`, /unknown instance type/],
  ['unsupported instance', fleet(['tp: 1'], [], 'falcon-7b', 'ml.p4d.24xlarge'), `${D}.instanceType`, /not supported by falcon-7b; allowed/],
  ['model does not fit', fleet(['tp: 1'], [], 'llama-2-13b'), `${D}.tp`, /short by \d+\.\d GB/],
  ['input ≥ total', fleet(['tgi: { maxInputTokens: 4096 }']), `${D}.tgi.maxInputTokens`, /maxInputTokens 4096 must be below maxTotalTokens 4096; allowed ≤ 4095/],
  ['total > context', fleet(['tgi: { maxTotalTokens: 8192, maxBatchPrefillTokens: 8192 }']), `${D}.tgi.maxTotalTokens`, /exceeds llama-2-7b's context of 4096/],
  ['batch total < total', fleet(['tgi: { maxBatchTotalTokens: 1000 }']), `${D}.tgi.maxBatchTotalTokens`, /below maxTotalTokens 4096/],
  ['prefill < input', fleet(['tgi: { maxBatchPrefillTokens: 1024 }']), `${D}.tgi.maxBatchPrefillTokens`, /below maxInputTokens 4095/],
  ['unknown tgi field', fleet(['tgi: { maxInputLength: 10 }']), `${D}.tgi.maxInputLength`, /unknown field/],
  ['bad quantize', fleet(['tgi: { quantize: int3 }']), `${D}.tgi.quantize`, /expected one of/],
  ['autoscaling min > max instances', fleet(['autoscaling: { minInstances: 3, maxInstances: 2 }']), `${D}.autoscaling.minInstances`, /minInstances 3 exceeds maxInstances 2/],
  ['autoscaling max below initial', fleet(['instances: 3', 'autoscaling: { minInstances: 1, maxInstances: 2 }']), `${D}.autoscaling.maxInstances`, /below instances 3/],
  ['copy scaling on a variant', fleet(['autoscaling: { maxCopies: 2 }']), `${D}.autoscaling.maxCopies`, /inference-components only/],
  ['min copies > max copies', fleet(['tp: 1', 'copies: 2', 'autoscaling: { minCopies: 3, maxCopies: 2 }']), `${D}.autoscaling.minCopies`, /minCopies 3 exceeds maxCopies 2/],
  ['max copies beyond accelerators', fleet(['tp: 1', 'copies: 2', 'autoscaling: { maxCopies: 9 }']), `${D}.autoscaling.maxCopies`, /maxCopies 9 × tp 1 exceeds/],
  ['scale to zero with min copies', fleet(['tp: 1', 'copies: 2', 'autoscaling: { scaleToZero: true, minCopies: 1 }']), `${D}.autoscaling.minCopies`, /contradicts scaleToZero/],
  ['bad autoscaling metric', fleet(['autoscaling: { metric: gpu }']), `${D}.autoscaling.metric`, /expected one of/],
  ['bad layout', fleet(['layout: sharded']), `${D}.layout`, /expected one of "variant"\|"inference-components"/],
  ['bad concurrency', fleet(['benchmark: { concurrency: some }']), `${D}.benchmark.concurrency`, /list of whole numbers ≥ 1 or 'auto'/],
  ['timeout beyond 60 s', fleet(['benchmark: { timeoutS: 120 }']), `${D}.benchmark.timeoutS`, /Too big/],
  ['bad schedule cron', fleet(['benchmark: { schedule: { cron: "0 6 * * 1", timeZone: UTC } }']), `${D}.benchmark.schedule.cron`, /expected an EventBridge Scheduler cron/],
  ['bad deployment id', fleet(['id: Bad_ID']), `${D}.id`, /lower-case letters/],
  ['gated model without EULA', fleet(['tp: 4']).replace('  acceptEula: true', '  acceptEula: false'), `${D}.acceptEula`, /gated model; set acceptEula: true/],
  ['duplicate ids', `${fleet(['id: same'])}\n  - { id: same, model: llama-2-7b, instanceType: ml.g5.2xlarge }`, 'deployments[1].id', /duplicate deployment id 'same' \(also deployments\[0\]\)/],
  ['over budget', fleet([], ['maxHourlyUsd: 1']), 'maxHourlyUsd', /above maxHourlyUsd 1; allowed: raise maxHourlyUsd to ≥ 8 or shrink the fleet; shares: llama-2-7b-g5-12xlarge-tp4 \$/],
  ['over budget at the autoscaling maximum only', fleet(['autoscaling: { maxInstances: 2 }'], ['maxHourlyUsd: 10']), 'maxHourlyUsd', /\$14\.18\/h in us-east-1 on demand at its autoscaling maximum \(\$7\.09\/h at its initial size\), above maxHourlyUsd 10/],
  ['above the default ceiling without maxHourlyUsd', fleet(['instances: 80']), 'maxHourlyUsd', /\$567\.20\/h .*above the default ceiling of \$500\/h; set maxHourlyUsd ≥ 568 to confirm the budget/],
  ['MAX_INPUT_LENGTH beside MAX_INPUT_TOKENS (TGI launcher exits)', fleet(['tgi: { env: { MAX_INPUT_LENGTH: "4095", MAX_INPUT_TOKENS: "4095" } }']), `${D}.tgi.env.MAX_INPUT_LENGTH`, /MAX_INPUT_LENGTH must not be set: the container already sets MAX_INPUT_TOKENS and TGI's launcher exits when both are set/],
  ['MAX_INPUT_LENGTH alone in tgi.env', fleet(['tgi: { env: { MAX_INPUT_LENGTH: "2000" } }']), `${D}.tgi.env.MAX_INPUT_LENGTH`, /allowed: remove MAX_INPUT_LENGTH and set maxInputTokens/],
  ['tgi.env breaking input < total', fleet(['tgi: { env: { MAX_TOTAL_TOKENS: "1000" } }']), `${D}.tgi.maxInputTokens`, /maxInputTokens 4095 must be below MAX_TOTAL_TOKENS 1000; allowed ≤ 999/],
  ['tgi.env shards beyond the GPUs', fleet(['tgi: { env: { SM_NUM_GPUS: "8" } }']), `${D}.tgi.env.SM_NUM_GPUS`, /SM_NUM_GPUS 8 exceeds the 4 GPUs the container sees; allowed 1\.\.4/],
  ['prefill above batch total', fleet(['tgi: { maxBatchTotalTokens: 8192 }']), `${D}.tgi.maxBatchPrefillTokens`, /maxBatchPrefillTokens 16384 exceeds maxBatchTotalTokens 8192; allowed ≤ 8192/],
  ['unknown time zone', fleet(['benchmark: { schedule: { cron: "cron(0 6 ? * MON *)", timeZone: Mars/Olympus } }']), `${D}.benchmark.schedule.timeZone`, /'Mars\/Olympus' is not an IANA time zone; allowed: tz database names such as UTC, Europe\/Berlin/],
  ['time zone in the wrong case', fleet(['benchmark: { schedule: { cron: "cron(0 6 ? * MON *)", timeZone: europe/berlin } }']), `${D}.benchmark.schedule.timeZone`, /'europe\/berlin' is not an IANA time zone/],
  ['payload above MAX_INPUT_TOKENS', fleet(['benchmark: { inputTokens: 5000, outputTokens: 100 }']), `${D}.benchmark.inputTokens`, /inputTokens 5000 exceeds tgi\.maxInputTokens 4095 \(MAX_INPUT_TOKENS\): TGI would answer 422 to every request; allowed ≤ 4095/],
  ['payload above MAX_TOTAL_TOKENS', fleet(['benchmark: { inputTokens: 4000, outputTokens: 256 }']), `${D}.benchmark.outputTokens`, /inputTokens \+ outputTokens = 4256 exceeds tgi\.maxTotalTokens 4096 \(MAX_TOTAL_TOKENS\)/],
  ['region without image', fleet([], ['region: xx-nowhere-1']), 'region', /no TGI .*image known for region 'xx-nowhere-1'; regions with an image: /],
  ['region malformed', fleet([], ['region: Virginia']), 'region', /expected an AWS region/],
  ['no deployments', 'name: empty\n', 'deployments', /at least one entry in deployments or a matrix/],
  ['bad fleet name', fleet().replace('name: bad', 'name: "bad name"'), 'name', /letters, digits and single hyphens/],
  ['unknown top-level field', fleet([], ['regions: [us-east-1]']), 'regions', /unknown field/],
  ['unknown matrix model', 'name: m\nmatrix:\n  models: [nope-7b]\n  instanceTypes: [ml.g5.2xlarge]\n', 'matrix.models[0]', /unknown model 'nope-7b'/],
  ['matrix tp list invalid', 'name: m\nmatrix:\n  models: [llama-2-7b]\n  instanceTypes: [ml.g5.2xlarge]\n  tp: all\n', 'matrix.tp', /list of TP degrees or 'default'/],
];

describe('invalid fleet configs', () => {
  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('%s → names the field', (_name, yaml, path, message) => {
    const issues = issuesOf(yaml);
    const match = issues.find((i) => i.path === path);
    if (!match) throw new Error(`no issue at ${path}; got:\n${issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
    expect(match.message).toMatch(message);
  });
});
