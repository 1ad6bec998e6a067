import { existsSync, readFileSync } from 'node:fs';
import { UserInputError } from '../../lib/errors';
import type { StepTimeParams } from '../../lib/planner/calibration/params';
import { parseCalibrationFile, stepTimeParamsOf } from '../../lib/planner/calibration/params-file';

/** Reads the params file a `--params FILE` flag names (written by `llm-bench calibrate`). */
export function readParamsFlag(path: string, flag = '--params'): StepTimeParams {
  if (!existsSync(path)) throw new UserInputError(flag, `${path}: no such file (write one with llm-bench calibrate --from DIR… --out ${path})`);
  return stepTimeParamsOf(parseCalibrationFile(readFileSync(path, 'utf8'), flag));
}

/** `--params FILE` → parameters, or undefined (the shipped ones) when the flag is absent. */
export function optionalParamsFlag(path: string | undefined): StepTimeParams | undefined {
  return path === undefined ? undefined : readParamsFlag(path);
}
