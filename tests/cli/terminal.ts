/** The command-line programs as a user runs them: compiled, in a child process, piped or on a pseudo-terminal. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';

export const CLI = join(PROJECT_ROOT, 'dist', 'src', 'channels', 'cli');

export interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs `node <program>` with `input` on standard input (a pipe), to its exit. */
export function runPiped(program: string, input: string): Promise<Run> {
  return run(process.execPath, [join(CLI, program)], input);
}

/**
 * Runs `node <program>` on a pseudo-terminal of `columns` columns (util-linux `script`), typing `input`.
 * Returns what the terminal showed, with carriage returns and cursor escapes taken out.
 */
export async function runOnTerminal(program: string, input: string, columns: number): Promise<Run> {
  const command = `stty cols ${columns} rows 50; exec '${process.execPath}' '${join(CLI, program)}'`;
  const result = await run('script', ['-qfec', command, '/dev/null'], input);
  // eslint-disable-next-line no-control-regex -- ESC starts the terminal's escape sequences, which these tests strip
  return { ...result, stdout: result.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '') };
}

function run(command: string, args: string[], input: string): Promise<Run> {
  const child = spawn(command, args, { cwd: PROJECT_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ stdout, stderr, code })));
}
