import { main, runProgram } from '../../loadtest/cli/main';

/** What `action` writes to `stream` (process.stdout or process.stderr) while it runs; none of it reaches the terminal. */
export async function captureWrites(stream: NodeJS.WriteStream, action: () => Promise<unknown>): Promise<string> {
  let text = '';
  const spy = jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    await action();
  } finally {
    spy.mockRestore();
  }
  return text;
}

/** Runs `llm-bench ...args` in-process (errors propagate to the caller) and returns what it printed on stdout. */
export function runCli(args: readonly string[]): Promise<string> {
  return captureWrites(process.stdout, () => runProgram(['node', 'llm-bench', ...args]));
}

/**
 * Runs `llm-bench ...args` through `main()`, as the binary does (errors printed, exit code set):
 * stdout and stderr captured, and the exit code, which is reset afterwards.
 */
export async function runMain(args: readonly string[]): Promise<{ stdout: string; stderr: string; exitCode: typeof process.exitCode }> {
  let stdout = '';
  try {
    const stderr = await captureWrites(process.stderr, async () => {
      stdout = await captureWrites(process.stdout, () => main(['node', 'llm-bench', ...args]));
    });
    return { stdout, stderr, exitCode: process.exitCode };
  } finally {
    process.exitCode = undefined;
  }
}
