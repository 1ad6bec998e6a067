/**
 * Makes synthesized templates stable for snapshots: asset hashes (S3 keys, asset paths, the
 * bootstrap-version-independent hashes CDK puts in names) become placeholders.
 */
const HASH = /[a-f0-9]{64}/g;

export function normalizeTemplate<T>(template: T): T {
  return JSON.parse(
    JSON.stringify(template, (key, value: unknown) => {
      if (key === 'aws:asset:path' || key === 'aws:asset:bundled') return '<asset-path>';
      if (typeof value === 'string') return value.replace(HASH, '<asset-hash>');
      return value;
    }),
  ) as T;
}
