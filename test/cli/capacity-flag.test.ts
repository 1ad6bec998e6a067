import { parseCapacityFlag } from '../../loadtest/cli/capacity-flag';

describe('--capacity key=value,…', () => {
  it('parses any subset of the capacity parameters', () => {
    expect(parseCapacityFlag('containerStartS=10,downloadGBps=1.5')).toEqual({ containerStartS: 10, downloadGBps: 1.5 });
    expect(parseCapacityFlag(' instanceProvisionS = 0 , loadToGpuGBps=4')).toEqual({ instanceProvisionS: 0, loadToGpuGBps: 4 });
  });

  it.each([
    ['bootS=3', "--capacity: unknown key 'bootS'; allowed keys: containerStartS, downloadGBps, loadToGpuGBps, instanceProvisionS"],
    ['containerStartS', "--capacity: 'containerStartS' is not key=value; allowed keys:"],
    ['', '--capacity: give key=value pairs; allowed keys:'],
    ['downloadGBps=0', "--capacity: downloadGBps must be a number > 0 (GB/s), got '0'"],
    ['containerStartS=-1', "--capacity: containerStartS must be a number ≥ 0 (s), got '-1'"],
    ['loadToGpuGBps=fast', "--capacity: loadToGpuGBps must be a number > 0 (GB/s), got 'fast'"],
    ['downloadGBps=', "--capacity: downloadGBps must be a number > 0 (GB/s), got ''"],
    ['containerStartS=1,containerStartS=2', '--capacity: containerStartS is given twice'],
  ])('refuses %j naming the flag', (text, message) => {
    expect(() => parseCapacityFlag(text)).toThrow(message);
  });
});
