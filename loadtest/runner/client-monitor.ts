import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Sampling interval of the event-loop delay histogram, ms. */
export const EVENT_LOOP_RESOLUTION_MS = 5;

/** What the client measured about itself over a level (wall time). */
export interface ClientSample {
  /** p99 event-loop delay beyond the sampling interval, ms. */
  readonly eventLoopDelayMsP99: number;
  /** CPU (user + system) / wall time of this process, % of one core. */
  readonly cpuPct: number;
}

/**
 * Watches this process while a level runs: event-loop delay (perf_hooks.monitorEventLoopDelay,
 * https://nodejs.org/api/perf_hooks.html#perf_hooksmonitoreventloopdelayoptions; its samples are the
 * time between timer callbacks, so the interval is subtracted) and CPU (process.cpuUsage).
 */
export function startClientMonitor(): { stop(): ClientSample } {
  const histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  histogram.enable();
  const cpu = process.cpuUsage();
  const wallStart = performance.now();
  return {
    stop(): ClientSample {
      histogram.disable();
      const used = process.cpuUsage(cpu);
      const wallMs = performance.now() - wallStart;
      const p99Ms = histogram.count > 0 ? histogram.percentile(99) / 1e6 : 0;
      return {
        eventLoopDelayMsP99: Math.max(0, p99Ms - EVENT_LOOP_RESOLUTION_MS),
        cpuPct: wallMs > 0 ? ((used.user + used.system) / 1000 / wallMs) * 100 : 0,
      };
    },
  };
}
