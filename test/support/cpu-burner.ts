/**
 * Starves the calling thread: `busyMs` of busy work in every `everyMs`, what a CPU hog beside a
 * client on its only core does to it (30 in 40 ms measured event-loop delay p99 ≈ 40 ms; the
 * client verdict's threshold is 25 ms: lib/results/client-verdict.ts). Returns the stop function.
 */
export function startCpuBurner(busyMs = 30, everyMs = 40): () => void {
  const timer = setInterval(() => {
    const until = performance.now() + busyMs;
    while (performance.now() < until);
  }, everyMs);
  return () => clearInterval(timer);
}
