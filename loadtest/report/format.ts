/** Number formats shared by the Markdown, HTML and CSV renderers. */

export const MISSING = '—';

/** Whole numbers from 10 up (like the published tables), one decimal below 10, two below 1. */
export function formatMeasure(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  const magnitude = Math.abs(value);
  const digits = magnitude >= 10 || value === 0 ? 0 : magnitude >= 1 ? 1 : 2;
  return value.toFixed(digits);
}

/** USD with up to three decimals (hourly prices such as 1.515 and sub-dollar per-1M figures keep their digits). */
export function formatUsd(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  return Math.abs(value) >= 100 ? value.toFixed(0) : String(Number(value.toFixed(3)));
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.01 ? 2 : 1)} %`;
}
