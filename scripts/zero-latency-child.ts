import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Starts scripts/zero-latency-server.ts in a child process; resolves once it listens. */
export async function startZeroLatencyServer(outputTokens: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'zero-latency-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_OUTPUT_TOKENS: String(outputTokens) },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`zero-latency server exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, url: `http://127.0.0.1:${port}` };
}
