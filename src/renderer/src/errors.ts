// What the UI shows for a failed call. A cancelled call is a status, not an error.

export function isCancelled(error: unknown): boolean {
  if (error && typeof error === 'object') {
    if ((error as { code?: unknown }).code === 'CANCELLED') return true;
    if ((error as { name?: unknown }).name === 'AbortError') return true;
  }
  return false;
}

export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const message = String((error as { message: unknown }).message);
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== 'INTERNAL' ? `${message} (${code})` : message;
  }
  return String(error);
}
