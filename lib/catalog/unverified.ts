/** Lists every catalog figure whose source is marked `verified: false`, for the closing note. */
import { ACCELERATORS } from './accelerators';
import { INSTANCE_TYPES } from './instance-types';
import { MODELS } from './models';
import { PRICE_TABLE } from './price-table';
import { TGI_ACCOUNT_SOURCE, TGI_TAG_SOURCE } from './tgi-images';
import type { Source } from './types';

function line(what: string, source: Source | undefined): string[] {
  if (source === undefined || source.verified) return [];
  return [`${what} — ${source.url}${source.note ? ` (${source.note})` : ''}`];
}

export function listUnverifiedFigures(): string[] {
  const lines: string[] = [];
  for (const a of ACCELERATORS) {
    lines.push(...line(`accelerator ${a.name ?? a.family}: ${a.memoryGB} GB, ${a.memoryBandwidthGBs} GB/s, ${a.denseFp16Tflops} TFLOPS fp16 dense`, a.source));
  }
  const interconnects = new Set<Source>();
  for (const i of INSTANCE_TYPES) {
    lines.push(...line(`${i.name} specs: ${i.acceleratorCount}× ${i.accelerator.name ?? i.accelerator.family}, ${i.vCpus} vCPU, ${i.hostMemoryGiB} GiB`, i.source));
    lines.push(...line(`${i.name} price: $${i.price.usd}/h ${i.price.region}`, i.price.source));
    if (!interconnects.has(i.interconnect.source)) {
      interconnects.add(i.interconnect.source);
      lines.push(...line(`interconnect ${i.interconnect.kind} ${i.interconnect.bandwidthGBs} GB/s per GPU per direction (first on ${i.name})`, i.interconnect.source));
    }
  }
  for (const m of MODELS) {
    lines.push(...line(`${m.id} architecture (${m.parameters} params, ${m.layers} layers, hidden ${m.hiddenSize}, ${m.attentionHeads}/${m.kvHeads} heads, context ${m.contextTokens})`, m.source));
    lines.push(...line(`${m.id} TGI defaults (input ${m.tgiDefaults.maxInputTokens}, total ${m.tgiDefaults.maxTotalTokens}, prefill ${m.tgiDefaults.maxBatchPrefillTokens})`, m.tgiDefaultsSource));
    lines.push(...line(`${m.id} JumpStart artifact key ${m.jumpStartArtifact?.key ?? ''}`, m.jumpStartArtifact?.source));
  }
  const regional = PRICE_TABLE.filter((r) => r.region !== 'us-east-1' && !r.verified);
  if (regional.length > 0) {
    const regions = new Set(regional.map((r) => r.region)).size;
    lines.push(`${regional.length} prices in ${regions} regions outside us-east-1 — derived from us-east-1 × EC2 regional price ratios (list them: llm-bench prices --region all)`);
  }
  lines.push(...line('TGI image account ids', TGI_ACCOUNT_SOURCE));
  lines.push(...line('TGI image tag', TGI_TAG_SOURCE));
  return lines;
}
