import { Worker } from 'node:worker_threads';

/**
 * Calls the export `name` of the compiled module at `path` with `args`, in a worker stopped after `ms`: code that
 * might never end (a regex backtracking without bound) then fails its test instead of hanging the suite. Answers
 * `'stopped'` when the worker had to be stopped.
 */
export function callWithin<T>(ms: number, path: string, name: string, args: readonly unknown[]): Promise<T | 'stopped'> {
  const worker = new Worker(
    "const { parentPort, workerData: call } = require('node:worker_threads'); parentPort.postMessage(require(call.path)[call.name](...call.args));",
    { eval: true, workerData: { path, name, args } },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => void worker.terminate().then(() => resolve('stopped')), ms);
    worker.once('message', (answer: T) => {
      clearTimeout(timer);
      void worker.terminate().then(() => resolve(answer));
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
