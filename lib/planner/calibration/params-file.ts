import { z } from 'zod';
import { UserInputError } from '../../errors';
import type { AcceleratorFamily } from '../../catalog/types';
import { FAMILY_PARAMETERS, GENERAL_PARAMETERS, type CalibrationFile, type FamilyCalibration, type StepTimeParams } from './params';

/**
 * The params file `llm-bench calibrate` writes and `plan`, `serve-local` and `reproduce` read with
 * `--params FILE`: the same shape as the shipped params.json (families, general, provenance).
 */

const FAMILIES: readonly AcceleratorFamily[] = ['A10G', 'L4', 'L40S', 'A100', 'H100'];
const positive = z.number().finite().positive();
const familySchema = z.object({
  ...Object.fromEntries(FAMILY_PARAMETERS.map((key) => [key, positive])),
  borrowedFrom: z.enum(FAMILIES as [AcceleratorFamily, ...AcceleratorFamily[]]).optional(),
});
const fileSchema = z.object({
  provenance: z.object({
    fittedAt: z.string(),
    procedure: z.string(),
    dataFile: z.string(),
    objective: z.string(),
    medianAbsErrorPct: z.object({ throughput: z.number(), latency: z.number() }).optional(),
    crossValidatedMedianAbsErrorPct: z.object({ throughput: z.number(), latency: z.number() }).optional(),
  }),
  families: z.object(Object.fromEntries(FAMILIES.map((family) => [family, familySchema]))),
  general: z.object(Object.fromEntries(GENERAL_PARAMETERS.map((key) => [key, positive]))),
});

/** Parses and checks a params file's JSON text; `field` names the flag or path in errors. */
export function parseCalibrationFile(text: string, field = 'params'): CalibrationFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(field, `is not JSON: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserInputError(field, `${issue.path.join('.') || '(root)'}: ${issue.message} (expected a params file written by llm-bench calibrate)`);
  }
  return parsed.data as unknown as CalibrationFile;
}

/** The step-time parameters of a params file. */
export function stepTimeParamsOf(file: CalibrationFile): StepTimeParams {
  return { families: file.families as Record<AcceleratorFamily, FamilyCalibration>, general: file.general };
}

const round = (v: number): number => Number(v.toPrecision(4));

/** A params file for fitted parameters (4 significant digits, as shipped). */
export function toCalibrationFile(params: StepTimeParams, provenance: CalibrationFile['provenance']): CalibrationFile {
  const families = Object.fromEntries(
    (Object.entries(params.families) as [AcceleratorFamily, FamilyCalibration][]).map(([family, f]) => [
      family,
      {
        ...Object.fromEntries(FAMILY_PARAMETERS.map((key) => [key, round(f[key])])),
        ...(f.borrowedFrom !== undefined ? { borrowedFrom: f.borrowedFrom } : {}),
      },
    ]),
  ) as unknown as CalibrationFile['families'];
  const general = Object.fromEntries(GENERAL_PARAMETERS.map((key) => [key, round(params.general[key])])) as unknown as CalibrationFile['general'];
  return { provenance, families, general };
}

export { round as roundParameter };
