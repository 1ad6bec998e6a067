/**
 * Name lookups with close-match suggestions, so a typo in a fleet file or on the command
 * line fails with what was probably meant.
 */
import { UnknownNameError, UserInputError } from '../errors';
import { INSTANCE_TYPES } from './instance-types';
import { MODELS } from './models';
import { LMI_ACCOUNT_BY_REGION, LMI_ACCOUNT_SOURCE, LMI_DEFAULT_RELEASE, LMI_RELEASES, LMI_REPOSITORY } from './lmi-images';
import {
  TGI_ACCOUNT_BY_REGION,
  TGI_ACCOUNT_SOURCE,
  TGI_LATEST_TAG,
  TGI_LATEST_TAG_SOURCE,
  TGI_LATEST_TGI_VERSION,
  TGI_REPOSITORY,
  TGI_STUDY_TGI_VERSION,
  TGI_TAG,
  TGI_TAG_SOURCE,
} from './tgi-images';
import type { ContainerImage, InstanceTypeSpec, ModelSpec, Source, TgiImage } from './types';

const MAX_SUGGESTIONS = 5;

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Candidates within an edit distance of a third of the name (at least 2), or containing / contained in it. */
export function closeMatches(name: string, candidates: readonly string[]): string[] {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') return [];
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = levenshtein(wanted, lower);
    const related = lower.includes(wanted) || wanted.includes(lower);
    if (related || distance <= Math.max(2, Math.floor(wanted.length / 3))) scored.push({ candidate, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.candidate);
}

/** An unknown name: close matches when there are some, else every known name, so the user sees what is allowed. */
function unknownName(field: string, kind: string, name: string, wanted: string, candidates: readonly string[], known: readonly string[]): UnknownNameError {
  const error = new UnknownNameError(field, kind, name, closeMatches(wanted, candidates));
  if (error.suggestions.length === 0) error.message += `; known ${kind}s: ${known.join(', ')}`;
  return error;
}

export function getModel(name: string, field = 'model'): ModelSpec {
  const wanted = name.trim().toLowerCase();
  const found = MODELS.find((m) => m.id === wanted || m.jumpStartId === wanted);
  if (found) return found;
  throw unknownName(field, 'model', name, wanted, MODELS.flatMap((m) => [m.id, m.jumpStartId]), MODELS.map((m) => m.id));
}

export function listModels(): readonly ModelSpec[] {
  return MODELS;
}

/** `g5.2xlarge` and `ml.g5.2xlarge` name the same instance type. */
export function normalizeInstanceName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.startsWith('ml.') ? lower : `ml.${lower}`;
}

export function getInstanceType(name: string, field = 'instance'): InstanceTypeSpec {
  const wanted = normalizeInstanceName(name);
  const found = INSTANCE_TYPES.find((i) => i.name === wanted);
  if (found) return found;
  const names = INSTANCE_TYPES.map((i) => i.name);
  throw unknownName(field, 'instance type', name, wanted, names, names);
}

export function listInstanceTypes(): readonly InstanceTypeSpec[] {
  return INSTANCE_TYPES;
}

export function listTgiImageRegions(): readonly string[] {
  return Object.keys(TGI_ACCOUNT_BY_REGION).sort();
}

/** TGI versions the catalog has an image for: the pinned study-era one (default) and the newest DLC. */
export const TGI_IMAGE_VERSIONS = [TGI_STUDY_TGI_VERSION, TGI_LATEST_TGI_VERSION] as const;
export type TgiImageVersion = (typeof TGI_IMAGE_VERSIONS)[number];

/** The TGI image of a region: the pinned study-era TGI 2.3.1 unless `tgiVersion` asks for the newest DLC (3.3.6). */
export function getTgiImage(region: string, field = 'region', tgiVersion: TgiImageVersion = TGI_STUDY_TGI_VERSION): TgiImage {
  const latest = tgiVersion === TGI_LATEST_TGI_VERSION;
  return regionalImage(region, field, {
    label: 'TGI (Hugging Face LLM DLC)',
    accounts: TGI_ACCOUNT_BY_REGION,
    accountSource: TGI_ACCOUNT_SOURCE,
    repository: TGI_REPOSITORY,
    tag: () => (latest ? { tag: TGI_LATEST_TAG, url: TGI_LATEST_TAG_SOURCE.url } : { tag: TGI_TAG, url: TGI_TAG_SOURCE.url }),
  });
}

/** What distinguishes one container family's images: its accounts per region, repository and tag. */
interface ImageFamily {
  /** How the error names the family, e.g. `LMI (djl-inference)`. */
  readonly label: string;
  readonly accounts: Readonly<Record<string, string>>;
  readonly accountSource: Source;
  readonly repository: string;
  /** The tag and where it was read; called once the region is known, so a bad region is reported first. */
  readonly tag: () => { readonly tag: string; readonly url: string };
}

/** The image of a family in a region (`{account}.dkr.ecr.{region}.amazonaws.com/{repository}:{tag}`); unknown region → the regions with an image. */
function regionalImage(region: string, field: string, family: ImageFamily): ContainerImage {
  const wanted = region.trim().toLowerCase();
  const accountId = family.accounts[wanted];
  if (accountId === undefined) {
    const regions = Object.keys(family.accounts).sort();
    throw new UserInputError(field, `no ${family.label} image known for region '${region}'; regions with an image: ${regions.join(', ')}`);
  }
  const { tag, url } = family.tag();
  return {
    region: wanted,
    accountId,
    repository: family.repository,
    tag,
    uri: `${accountId}.dkr.ecr.${wanted}.amazonaws.com/${family.repository}:${tag}`,
    source: { ...family.accountSource, note: `account: ${family.accountSource.url}; tag: ${url}` },
  };
}

export function listLmiImageRegions(): readonly string[] {
  return Object.keys(LMI_ACCOUNT_BY_REGION).sort();
}

/** LMI versions the catalog has a tag for (`27.0.0`, ...), newest first. */
export function listLmiVersions(): readonly string[] {
  return LMI_RELEASES.map((r) => r.lmiVersion);
}

/** The LMI (`djl-inference`) image of a region: the newest release unless `lmiVersion` names another. */
export function getLmiImage(region: string, field = 'region', lmiVersion: string = LMI_DEFAULT_RELEASE.lmiVersion): ContainerImage {
  return regionalImage(region, field, {
    label: 'LMI (djl-inference)',
    accounts: LMI_ACCOUNT_BY_REGION,
    accountSource: LMI_ACCOUNT_SOURCE,
    repository: LMI_REPOSITORY,
    tag: () => {
      const release = LMI_RELEASES.find((r) => r.lmiVersion === lmiVersion);
      if (release === undefined) throw new UserInputError('lmiVersion', `no LMI release '${lmiVersion}' in the catalog; known: ${listLmiVersions().join(', ')}`);
      return { tag: release.tag, url: release.source.url };
    },
  });
}

/** S3 URI of JumpStart's prepacked artifacts for the model in a region, when the catalog knows the key. */
export function jumpStartModelDataS3Uri(model: ModelSpec, region: string): string | undefined {
  const artifact = model.jumpStartArtifact;
  if (artifact === undefined) return undefined;
  return `s3://${artifact.bucketPrefix}-${region.trim().toLowerCase()}/${artifact.key}`;
}
