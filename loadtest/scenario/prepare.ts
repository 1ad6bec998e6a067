import type { CapacityReading } from '../../lib/results/scenario';
import type { CapacityReader } from './capacity-reader';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** True when `copies` copies are in service and the component is InService: a scenario may start. */
export function startingCapacityReached(reading: CapacityReading, copies: number): boolean {
  return reading.copiesInService === copies && reading.componentStatus === 'InService';
}

/**
 * Asks for the starting copy count once the component is InService (UpdateInferenceComponentRuntimeConfig),
 * when it does not already want that many. Returns true when it asked.
 */
export async function requestStartingCapacity(capacity: CapacityReader, copies: number, reading: CapacityReading): Promise<boolean> {
  if (reading.copiesDesired === copies) return false;
  await capacity.setCopies(copies);
  return true;
}

/** Sets the starting copy count and waits until that many copies are in service and the component is InService. */
export async function prepareStartingCapacity(capacity: CapacityReader, copies: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let reading = await capacity.read();
  while (reading.componentStatus !== 'InService' && Date.now() < deadline) {
    await sleep(100);
    reading = await capacity.read();
  }
  await requestStartingCapacity(capacity, copies, reading);
  for (;;) {
    reading = await capacity.read();
    if (startingCapacityReached(reading, copies)) return;
    if (Date.now() > deadline) throw new Error(`the inference component did not reach ${copies} copies in service within ${timeoutMs / 1000} s (now ${String(reading.copiesInService)}, ${String(reading.componentStatus)})`);
    await sleep(100);
  }
}
