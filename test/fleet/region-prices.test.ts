import { deploymentInputOf } from '../../lib/benchmark/deployment-input';
import { FleetValidationError } from '../../lib/fleet/errors';
import { parseFleetYaml } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import { runMain } from '../support/cli';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const FLEET = 'name: study\ndefaults: { acceptEula: true }\ndeployments:\n  - model: llama-2-7b\n    instanceType: ml.g5.12xlarge\n  - model: llama-2-70b\n    instanceType: ml.p4d.24xlarge\n';

describe('fleet prices by region', () => {
  it('prices the same fleet differently in two regions, each deployment saying where its price came from', () => {
    const us = resolveFleet(parseFleetYaml(FLEET), { region: 'us-east-1' });
    const tokyo = resolveFleet(parseFleetYaml(FLEET), { region: 'ap-northeast-1' });
    expect(us.deployments.map((d) => d.hourlyUsd)).toEqual([7.09, 25.2513]);
    // g5 × 1.45, p4d × 1.371 (EC2 ratios of the region): derived rows.
    expect(tokyo.deployments[0].hourlyUsd).toBeCloseTo(10.2805, 4);
    expect(tokyo.deployments[1].hourlyUsd).toBeCloseTo(34.6195, 4);
    expect(tokyo.hourlyUsd).toBeGreaterThan(us.hourlyUsd);
    expect(tokyo.deployments[0].price).toMatchObject({ region: 'ap-northeast-1', origin: 'table', verified: false, asOf: '2026-01-21' });
    expect(us.deployments[0].price).toMatchObject({ region: 'us-east-1', verified: true, asOf: '2026-11-27' });
  });

  it('applies the fleet discount, and a run discount over it', () => {
    const yaml = `${FLEET}discount: 0.3\n`;
    const fleet = resolveFleet(parseFleetYaml(yaml), { region: 'us-east-1' });
    expect(fleet.discount).toBe(0.3);
    expect(fleet.deployments[0].hourlyUsd).toBeCloseTo(7.09 * 0.7, 10);
    expect(fleet.deployments[0].price).toMatchObject({ listUsd: 7.09, discount: 0.3 });
    const run = resolveFleet(parseFleetYaml(yaml), { region: 'us-east-1', discount: 0.5 });
    expect(run.hourlyUsd).toBeCloseTo((7.09 + 25.2513) * 0.5, 10);
    // The state machine carries the discount to the report step, which re-reads prices.
    expect(deploymentInputOf(fleet.deployments[0]).priceDiscount).toBe(0.3);
    expect(deploymentInputOf(resolveFleet(parseFleetYaml(FLEET), { region: 'us-east-1' }).deployments[0])).not.toHaveProperty('priceDiscount');
  });

  it('rejects a discount outside [0, 1) naming the field', () => {
    expect(() => parseFleetYaml(`${FLEET}discount: 1.2\n`)).toThrow(/discount/);
  });

  it('guards the budget with the region\'s prices', () => {
    const yaml = `${FLEET}maxHourlyUsd: 40\n`;
    expect(resolveFleet(parseFleetYaml(yaml), { region: 'us-east-1' }).hourlyUsd).toBeLessThan(40);
    const attempt = () => resolveFleet(parseFleetYaml(yaml), { region: 'ap-northeast-1' });
    expect(attempt).toThrow(FleetValidationError);
    expect(attempt).toThrow(/the fleet costs \$44\.90\/h in ap-northeast-1 on demand at its autoscaling maximum \(\$44\.90\/h at its initial size\), above maxHourlyUsd 40/);
  });
});

describe('llm-bench validate prices', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fleet-prices-'));
    writeFileSync(path.join(dir, 'fleet.yaml'), FLEET);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('states the region, source and date of each price, and the discount', async () => {
    const file = path.join(dir, 'fleet.yaml');
    const us = await runMain(['validate', file, '--region', 'us-east-1']);
    const tokyo = await runMain(['validate', file, '--region', 'ap-northeast-1', '--discount', '0.3']);
    expect(us.exitCode ?? 0).toBe(0);
    expect(us.stdout).toMatch(/prices: us-east-1 on-demand \$7\.09\/h per ml\.g5\.12xlarge, shipped table, as of 2026-11-27/);
    expect(us.stdout).toMatch(/valid; 2 deployments in us-east-1, \$32\.34\/h on demand/);
    expect(tokyo.stdout).toMatch(/prices: ap-northeast-1 on-demand \$10\.2805\/h per ml\.g5\.12xlarge, shipped table, as of 2026-01-21 .*unverified: us-east-1 7\.09 × 1\.45.*; 30% discount/);
    expect(tokyo.stdout).toMatch(/valid; 2 deployments in ap-northeast-1, \$31\.43\/h after a 30% discount/);
  });
});
