import { LatencySketch } from '../../lib/results/sketch';
import type { DriverRequest, GenerationListener, RealTimeDriver } from './real-time-driver';

/**
 * One inference component served by a pool of single-copy drivers, of which only the copies in
 * service (CurrentCopyCount, from the control plane) take new requests: autoscaling that adds a copy
 * adds serving capacity when the copy is in service, and a removed copy finishes what it holds.
 * Routing: least outstanding requests among the copies in service (the fleet's routing strategy),
 * ties to the lowest index. Its lag is every copy's (each copy's driver has its own timer), merged.
 */
export function createCopyPoolDriver(copies: readonly RealTimeDriver[], inService: () => number): RealTimeDriver & { inFlight(): number } {
  const first = copies[0];
  if (first === undefined) throw new RangeError('a copy pool needs at least one copy');
  const owner = new Map<string, RealTimeDriver>();
  return {
    speedup: first.speedup,
    virtualNowMs: () => first.virtualNowMs(),
    submit(request: DriverRequest, listener: GenerationListener): string {
      const n = Math.max(1, Math.min(copies.length, inService()));
      let best = first;
      for (const copy of copies.slice(0, n)) if (copy.waiting() < best.waiting()) best = copy;
      const index = copies.indexOf(best);
      let id = '';
      const forget = (): boolean => owner.delete(id);
      id = `c${index}-${best.submit(request, {
        onToken: (i, at) => listener.onToken(i, at),
        onDone: (generated, input, at) => (forget(), listener.onDone(generated, input, at)),
        onRejected: (reason, message) => (forget(), listener.onRejected(reason, message)),
      })}`;
      owner.set(id, best);
      return id;
    },
    cancel(id: string): void {
      const copy = owner.get(id);
      owner.delete(id);
      copy?.cancel(id.slice(id.indexOf('-') + 1));
    },
    waiting: () => copies.reduce((sum, copy) => sum + copy.waiting(), 0),
    inFlight: () => copies.reduce((sum, copy) => sum + copy.waiting(), 0),
    lag(): LatencySketch {
      const merged = new LatencySketch();
      for (const copy of copies) merged.merge(copy.lag());
      return merged;
    },
    close(): void {
      for (const copy of copies) copy.close();
    },
  };
}
