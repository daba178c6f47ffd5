import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LogFile } from './log-file';

/** What a service is to the lab: it can be started and stopped, again and again. */
export interface Service {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The service's process ended before it was ready: the failure some scenarios expect. */
export class ServiceRefused extends Error {
  constructor(readonly service: string, output: string) {
    super(`${service} exited before it was ready:\n${output}`);
  }
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: readonly string[];
  /** Where the process's stdout and stderr go. */
  output: LogFile;
  /** Polled after start (and after each restart) until it says the service is up. */
  ready(): boolean;
  /** Run before each start, e.g. to remove a stale pid file. */
  beforeStart?(): void;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** Process groups still running: stopped when the test process ends, even by a crash or a signal. */
const liveGroups = new Set<number>();
let exitGuardInstalled = false;

function installExitGuard(): void {
  if (exitGuardInstalled) return;
  exitGuardInstalled = true;
  process.on('exit', () => {
    for (const group of liveGroups) killGroup(group, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
  }
}

function killGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // The group is gone already.
  }
}

/** A program started in its own process group, so stopping it also stops the workers it forked. */
export class LabProcess implements Service {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  constructor(private readonly spec: ProcessSpec) {}

  get name(): string {
    return this.spec.name;
  }

  async start(): Promise<void> {
    installExitGuard();
    this.spec.beforeStart?.();
    const outputMark = this.spec.output.mark();
    const fd = openSync(this.spec.output.path, 'a');
    const child = spawn(this.spec.command, this.spec.args, { detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const group = child.pid;
    if (group === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`${this.name} could not be started (${this.spec.command}): ${error.message}`);
    }
    liveGroups.add(group);
    this.child = child;
    let ended = false;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        ended = true;
        resolve(code);
      });
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!this.spec.ready()) {
      if (ended) {
        await this.stop();
        throw new ServiceRefused(this.name, this.spec.output.since(outputMark));
      }
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`${this.name} was not ready after ${READY_TIMEOUT_MS} ms:\n${this.spec.output.since(outputMark)}`);
      }
      await sleep(25);
    }
  }

  /** TERM to the group, KILL after a grace period, and KILL again for any process left in the group. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = undefined;
    killGroup(child.pid, 'SIGTERM');
    const stopped = await Promise.race([this.exited, sleep(STOP_TIMEOUT_MS, 'timeout' as const, { ref: false })]);
    if (stopped === 'timeout') killGroup(child.pid, 'SIGKILL');
    await this.exited;
    killGroup(child.pid, 'SIGKILL');
    liveGroups.delete(child.pid);
  }
}
