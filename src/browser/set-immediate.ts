/**
 * The core's training loop yields to the event loop with `setImmediate` (Node's) every 50
 * batches; a browser has none, so this supplies one where it is missing, on a MessageChannel
 * (a task, not a 4 ms-clamped timer), so that training more than 50 batches does not throw.
 */
type Immediate = (callback: (...args: unknown[]) => void, ...args: unknown[]) => unknown;
const scope = globalThis as { setImmediate?: Immediate };

if (typeof scope.setImmediate !== 'function' && typeof MessageChannel === 'function') {
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  scope.setImmediate = (callback, ...args) => {
    queue.push(() => callback(...args));
    channel.port2.postMessage(null);
    return queue.length;
  };
}
