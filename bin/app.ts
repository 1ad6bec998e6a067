#!/usr/bin/env node
/**
 * CDK app: `cdk synth -c fleet=fleets/x.yaml [-c region=us-east-1]`.
 * User errors print one line per problem and exit 1, without a stack trace.
 */
import { App } from 'aws-cdk-lib';
import { isUserFacing } from '../lib/errors';
import { buildApp, DEFAULT_FLEET_PATH, resolveRegion } from '../lib/fleet/app';
import { loadFleetFile } from '../lib/fleet/load';

const app = new App();
try {
  const fleetPath = String(app.node.tryGetContext('fleet') ?? DEFAULT_FLEET_PATH);
  const region = resolveRegion({ context: app.node.tryGetContext('region'), fleetRegion: loadFleetFile(fleetPath).region });
  const nag = ['true', true].includes(app.node.tryGetContext('nag'));
  buildApp(app, { fleetPath, region, nag });
} catch (error) {
  if (!isUserFacing(error)) throw error;
  for (const line of error.message.split('\n')) process.stderr.write(`error: ${line}\n`);
  process.exit(1);
}
