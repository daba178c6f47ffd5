/**
 * A step that took longer than the probe allows; its code reads like the system's own. `stillArriving`: bytes were
 * still coming when the time was up (a trickle), rather than none, or none for a while (a stall).
 */
export class StepTimeout extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(step: string, timeoutMs: number, readonly stillArriving = false) {
    super(stillArriving ? `${step}: still arriving after ${timeoutMs} ms` : `${step}: no answer in ${timeoutMs} ms`);
  }
}

export interface StepLimits {
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Settles with `start`'s outcome, or rejects with a StepTimeout after `timeoutMs` or with the abort reason
 * when the probe is cancelled; `stop` is then called so the socket behind the step is closed.
 */
export function withinLimits<T>(step: string, limits: StepLimits, start: Promise<T>, stop: (reason: Error) => void): Promise<T> {
  const { timeoutMs, signal } = limits;
  return new Promise<T>((resolve, reject) => {
    const fail = (reason: Error) => {
      cleanup();
      stop(reason);
      reject(reason);
    };
    const onAbort = () => fail(abortReason(signal!));
    const timer = setTimeout(() => fail(new StepTimeout(step, timeoutMs)), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    start.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: Error) => {
        cleanup();
        reject(error);
      },
    );
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Why the probe was cancelled: the signal's reason (an AbortError from `abort()`). */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}
