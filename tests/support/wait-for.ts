/**
 * Waits until `condition` returns a value other than `false`/`undefined` (or stops throwing),
 * checking every `intervalMs`, and fails with the last error once `timeoutMs` has passed. The
 * deadline is the point: Hocuspocus's `retryableAssertion` loops forever (STYLE 2.12).
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  {
    timeoutMs = 5_000,
    intervalMs = 10,
    message,
  }: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await condition()
      if (value !== false && value !== undefined) {
        return value as Exclude<T, false | undefined>
      }
      lastError = undefined
    } catch (error) {
      lastError = error
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : ''
      throw new Error(`${message ?? 'Condition not met'} within ${timeoutMs} ms${reason}`, {
        cause: lastError,
      })
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/**
 * Checks that `condition` holds during the whole of `ms` (an observation window, for "this must
 * not happen yet"), failing at the first moment it does not.
 */
export async function staysTrueFor(
  condition: () => boolean,
  ms: number,
  intervalMs = 10,
): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (!condition()) {
      throw new Error('Condition stopped holding')
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  if (!condition()) {
    throw new Error('Condition stopped holding')
  }
}
