// Waits on state, never on a fixed sleep (STYLE.md §12).

/** Resolves true once `predicate` holds, or false after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (predicate()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves once `predicate` holds; rejects naming `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  if (!(await waitFor(predicate, timeoutMs))) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
