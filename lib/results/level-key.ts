/**
 * Levels are stored, planned and sorted by one integer key, `LevelResult.concurrency`. A closed-loop
 * level's key is its concurrency; an open-loop level's key is its offered rate in milli-requests per
 * second (0.5 requests/s → 500), so rate levels sort by rate and keep distinct files. Reports show an
 * open-loop level by its `offeredRatePerS`, never by this key.
 */
export function rateLevelKey(ratePerS: number): number {
  return Math.round(ratePerS * 1000);
}

/** The offered rate, requests/s, of an open-loop level key. */
export function rateOfLevelKey(key: number): number {
  return key / 1000;
}

/** How a level is named in logs and reports: `c=8`, or `0.5 req/s` for an open-loop level. */
export function levelName(level: { readonly concurrency: number; readonly offeredRatePerS?: number }): string {
  return level.offeredRatePerS !== undefined ? `${level.offeredRatePerS} req/s` : `c=${level.concurrency}`;
}
