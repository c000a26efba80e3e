/**
 * `npm run doctor [-- NODE_MAJOR]`: what a new user's install costs. Clones this checkout's HEAD
 * (committed work only) into a temporary folder, runs `npm ci` there (on the machine's Node, or on
 * Node NODE_MAJOR through .ci/with-node), and prints its time, the size of node_modules, the number
 * of packages and every warning npm printed. npm's own cache is used as it is on this machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';

interface InstallReport {
  seconds: number;
  /** CPU time of npm and everything it ran; null where /proc is not there to tell. */
  cpuSeconds: number | null;
  exitCode: number | null;
  output: string;
}

const WITH_NODE = join(PROJECT_ROOT, '.ci', 'with-node');
const nodeMajor = process.argv[2];
const EBADENGINE_NOTE = `  About EBADENGINE: restify 12 declares Node >=22 (Node 24 removed the binding restify 11 needs), and npm
  cannot be told otherwise for one dependency. On Node 20 (end of life since April 2026) npm warns about it;
  the test suite passes there all the same. Node 22 and 24 install without it: npm run doctor -- 24`;

const clone = mkdtempSync(join(tmpdir(), 'faq-assistant-doctor-'));
try {
  const commit = cloneHead(clone);
  const loadBefore = loadavg()[0]!;
  const install = await timedInstall(clone, nodeMajor);
  console.log(summary(commit, install, clone, loadBefore));
  process.exitCode = install.exitCode === 0 ? 0 : 1;
} finally {
  rmSync(clone, { recursive: true, force: true });
}

function cloneHead(folder: string): string {
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', PROJECT_ROOT, folder]);
  const commit = outputOf(['git', '-C', PROJECT_ROOT, 'rev-parse', 'HEAD']);
  execFileSync('git', ['-C', folder, 'checkout', '--quiet', '--detach', commit]);
  return commit;
}

async function timedInstall(folder: string, major: string | undefined): Promise<InstallReport> {
  const [command, ...args] = onNode(major, ['npm', 'ci']);
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const child = spawn(command!, args, { cwd: folder, env: withoutNpmSettings(process.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [exitCode] = (await once(child, 'close')) as [number | null];
  const cpuAfter = childrenCpuSeconds();
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore, exitCode, output };
}

/** The environment less what `npm run` adds to it: `npm run -s doctor` would otherwise pass on loglevel=silent, and hide the warnings. */
function withoutNpmSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

/** `command` with Node `major` first on PATH, or as it is without a major. */
function onNode(major: string | undefined, command: string[]): string[] {
  return major ? [WITH_NODE, major, ...command] : command;
}

/** The output of a short command. */
function outputOf([command, ...args]: string[]): string {
  return execFileSync(command!, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/** The user and system time of this process's waited-for children (Linux's /proc/self/stat, fields 16 and 17). */
function childrenCpuSeconds(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    const ticksPerSecond = Number(outputOf(['getconf', 'CLK_TCK']));
    // After "pid (comm) ", field 3 (state) is index 0, so field N is index N - 3.
    return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** Disk usage as `du` counts it: allocated blocks, symbolic links not followed. */
function diskBytes(path: string): number {
  const stat = lstatSync(path);
  const own = stat.blocks * 512;
  if (!stat.isDirectory()) return own;
  return own + readdirSync(path).reduce((sum, name) => sum + diskBytes(join(path, name)), 0);
}

/** Packages in node_modules, as npm recorded them there (links to local folders included). */
function installedPackageCount(folder: string): number {
  const lock = JSON.parse(readFileSync(join(folder, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  return Object.keys(lock.packages).filter((path) => path.startsWith('node_modules/')).length;
}

function warningsIn(output: string): string[] {
  return output.split('\n').filter((line) => /^npm warn/i.test(line));
}

function summary(commit: string, install: InstallReport, folder: string, loadBefore: number): string {
  const warnings = warningsIn(install.output);
  const lines = [
    `doctor: a clean clone of ${commit.slice(0, 12)} (uncommitted changes are not in it), npm ci on Node ${outputOf(onNode(nodeMajor, ['node', '--version']))}, npm ${outputOf(['npm', '--version'])}`,
    `  time:         ${install.seconds.toFixed(1)} s${install.cpuSeconds === null ? '' : ` (${install.cpuSeconds.toFixed(1)} s of CPU)`}, load average ${loadBefore.toFixed(1)} on ${availableParallelism()} cores before it`,
  ];
  if (install.exitCode !== 0) return [...lines, `  npm ci failed (exit ${install.exitCode}):`, install.output].join('\n');
  lines.push(
    `  node_modules: ${(diskBytes(join(folder, 'node_modules')) / 2 ** 20).toFixed(0)} MiB`,
    `  packages:     ${installedPackageCount(folder)}`,
    `  warnings:     ${warnings.length === 0 ? 'none' : `${warnings.length} lines`}`,
    ...warnings.map((line) => `    ${line}`),
  );
  if (warnings.some((line) => line.includes('EBADENGINE'))) lines.push(EBADENGINE_NOTE);
  return lines.join('\n');
}
