import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a process from the repository root; asynchronous, so the test worker stays responsive. */
export function runProcess(command: string, args: string[]): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The `recon` CLI as a whole process, without npm's start-up: `recon(...args)`. */
export function recon(...args: string[]): Promise<Ran> {
  return runProcess(process.execPath, ['--import', 'tsx', 'bin/recon.ts', ...args]);
}
