import { ERROR_KINDS, type Distribution, type LevelResult, type SweepResult } from '../../lib/results/records';

const DISTRIBUTION_FIELDS: readonly (keyof Distribution)[] = ['mean', 'p50', 'p90', 'p99', 'min', 'max'];
const DISTRIBUTIONS = ['latencyMsPerToken', 'e2eMs', 'ttftMs', 'itlMs', 'tpotMs', 'clientQueueMs'] as const;

type Column = readonly [header: string, value: (sweep: SweepResult, level: LevelResult) => string | number | undefined];

/** Every LevelResult field flattened (distributions as `name.stat`, errors as `errors.kind`), prefixed by the sweep's identity. */
const COLUMNS: readonly Column[] = [
  ['label', (s) => s.label],
  ['targetKind', (s) => s.target.kind],
  ['targetAddress', (s) => s.target.address],
  ['inferenceComponent', (s) => s.target.inferenceComponent],
  ['speedup', (s) => s.target.speedup],
  ['payloadInputTokens', (s) => s.payload.inputTokens],
  ['payloadOutputTokens', (s) => s.payload.outputTokens],
  ['instanceType', (s) => s.deployment?.instanceType],
  ['hourlyUsd', (s) => s.deployment?.hourlyUsd],
  ['priceRegion', (s) => s.deployment?.price?.region],
  ['priceOrigin', (s) => s.deployment?.price?.origin],
  ['priceSource', (s) => s.deployment?.price?.source],
  ['priceAsOf', (s) => s.deployment?.price?.asOf],
  ['priceDiscount', (s) => s.deployment?.price?.discount],
  ['concurrency', (_, l) => l.concurrency],
  ['requests', (_, l) => l.requests],
  ['ok', (_, l) => l.ok],
  ...ERROR_KINDS.map((k): Column => [`errors.${k}`, (_, l) => l.errors[k] ?? 0]),
  ['retries', (_, l) => l.retries],
  ['timeouts', (_, l) => l.timeouts],
  ['durationS', (_, l) => l.durationS],
  ['requestsPerS', (_, l) => l.requestsPerS],
  ['outputTokens', (_, l) => l.outputTokens],
  ['throughputTokensPerS', (_, l) => l.throughputTokensPerS],
  ...DISTRIBUTIONS.flatMap((d) => DISTRIBUTION_FIELDS.map((f): Column => [`${d}.${f}`, (_, l) => l[d]?.[f]])),
  ['offeredRatePerS', (_, l) => l.offeredRatePerS],
  ['achievedRatePerS', (_, l) => l.achievedRatePerS],
  ['arrival', (_, l) => l.openLoop?.arrival],
  ['waitedForCap', (_, l) => l.openLoop?.waitedForCap],
  ['goodput.requestsPerS', (_, l) => l.goodput?.requestsPerS],
  ['goodput.tokensPerS', (_, l) => l.goodput?.tokensPerS],
  ['goodput.attainment', (_, l) => l.goodput?.attainment],
  ['client.verdict', (_, l) => l.client?.verdict],
  ['client.sendLagMsP99', (_, l) => l.client?.sendLagMsP99],
  ['client.eventLoopDelayMsP99', (_, l) => l.client?.eventLoopDelayMsP99],
  ['client.cpuPct', (_, l) => l.client?.cpuPct],
  ['levelSeconds', (_, l) => l.levelSeconds],
  ['repeats.n', (_, l) => l.repeats?.n],
  ['repeats.throughputTokensPerS.mean', (_, l) => l.repeats?.throughputTokensPerS.mean],
  ['repeats.throughputTokensPerS.halfWidth95', (_, l) => l.repeats?.throughputTokensPerS.halfWidth95],
  ['repeats.msPerTokenP50.mean', (_, l) => l.repeats?.msPerTokenP50.mean],
  ['repeats.msPerTokenP50.halfWidth95', (_, l) => l.repeats?.msPerTokenP50.halfWidth95],
  ['repeats.ttftMsP50.mean', (_, l) => l.repeats?.ttftMsP50?.mean],
  ['repeats.ttftMsP50.halfWidth95', (_, l) => l.repeats?.ttftMsP50?.halfWidth95],
  ['twin.verdict', (_, l) => l.twin?.verdict],
  ['twin.lagMsP99', (_, l) => l.twin?.lagMsP99],
  ['twin.lagMsMax', (_, l) => l.twin?.lagMsMax],
];

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per sweep × level, sorted by concurrency within a sweep; absent measures are empty cells. */
export function renderCsv(sweeps: readonly SweepResult[]): string {
  const lines = [COLUMNS.map(([h]) => h).join(',')];
  for (const sweep of sweeps) {
    const levels = [...sweep.levels].sort((a, b) => a.concurrency - b.concurrency);
    for (const level of levels) lines.push(COLUMNS.map(([, value]) => csvField(value(sweep, level))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export const CSV_HEADERS: readonly string[] = COLUMNS.map(([h]) => h);
