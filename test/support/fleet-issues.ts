import { FleetValidationError } from '../../lib/fleet/errors';
import { parseFleetYaml } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';

/** The problems a fleet file's text is refused with (path and message each), resolved like the CLI: in the file's region, else us-east-1; [] when valid. */
export function fleetIssues(yaml: string): { path: string; message: string }[] {
  try {
    const config = parseFleetYaml(yaml);
    resolveFleet(config, { region: config.region ?? 'us-east-1' });
  } catch (error) {
    if (error instanceof FleetValidationError) return error.issues.map((i) => ({ path: i.path, message: i.message }));
    throw error;
  }
  return [];
}
