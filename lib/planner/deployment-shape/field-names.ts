/**
 * One set of domain field names for the deployment-shape rules, and the mappers that turn them
 * into what each caller shows: CLI flags, fleet-file paths, construct props, container variables.
 */
import type { TgiSettings } from '../../catalog/types';

/** A TGI setting, or a raw container variable set through the environment escape hatch. */
export type TgiField = keyof TgiSettings | 'tp' | `env.${string}`;

/** TGI environment variable of each typed setting. */
export const TGI_ENV_NAMES: Readonly<Record<keyof TgiSettings | 'tp', string>> = {
  maxInputTokens: 'MAX_INPUT_TOKENS',
  maxTotalTokens: 'MAX_TOTAL_TOKENS',
  maxBatchPrefillTokens: 'MAX_BATCH_PREFILL_TOKENS',
  maxBatchTotalTokens: 'MAX_BATCH_TOTAL_TOKENS',
  maxConcurrentRequests: 'MAX_CONCURRENT_REQUESTS',
  tp: 'SM_NUM_GPUS',
};

/** How a caller names a field in messages. */
export type FieldLabel = (field: TgiField) => string;

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const envOf = (field: TgiField): string => (field.startsWith('env.') ? field.slice(4) : TGI_ENV_NAMES[field as keyof typeof TGI_ENV_NAMES]);

/** `plan`, `serve-local`: `--max-input-tokens (MAX_INPUT_TOKENS)`; a raw variable by its name. */
export const flagLabel: FieldLabel = (field) => (field.startsWith('env.') ? field.slice(4) : `--${kebab(field)} (${envOf(field)})`);

/** Fleet files and construct props: the typed key (`maxInputTokens`), a raw variable by its name. */
export const propLabel: FieldLabel = (field) => (field.startsWith('env.') ? field.slice(4) : field);

/** The container's own names (`MAX_INPUT_TOKENS`). */
export const envLabel: FieldLabel = (field) => envOf(field);

/** Path of a TGI field inside a fleet deployment: `tgi.maxInputTokens`, `tgi.env.MAX_INPUT_LENGTH`, `tp`. */
export function fleetPath(field: TgiField): string {
  return field === 'tp' ? 'tp' : `tgi.${field}`;
}

/**
 * Fleet-relative path of a deployment field → the construct prop that holds it:
 * `tp` → `model.settings.tp`, `tgi.maxInputTokens` → `model.settings.maxInputTokens`,
 * `tgi.env.X` → `model.settings.extraEnv.X` (the same for `lmi.`), `instances` → `instanceCount`; others unchanged.
 */
export function constructPropPath(fleetField: string): string {
  if (fleetField === 'tp') return 'model.settings.tp';
  if (fleetField.startsWith('tgi.env.')) return `model.settings.extraEnv.${fleetField.slice('tgi.env.'.length)}`;
  if (fleetField.startsWith('tgi.')) return `model.settings.${fleetField.slice('tgi.'.length)}`;
  if (fleetField.startsWith('lmi.env.')) return `model.settings.extraEnv.${fleetField.slice('lmi.env.'.length)}`;
  if (fleetField.startsWith('lmi.')) return `model.settings.${fleetField.slice('lmi.'.length)}`;
  if (fleetField === 'instances') return 'instanceCount';
  return fleetField;
}
