/**
 * The one ordered, bounded, backpressured stream that `ner tag` and `ner predict` tag through.
 *
 * `mapInOrder(items, work, inFlight)` starts `work` on each item as it arrives, keeps at most
 * `inFlight` of them running (a worker pool's size: every worker has one), and yields their
 * results in input order. It is pulled, not pushed: the next item is read only after the
 * consumer has taken the oldest result and asked for more, so a consumer that waits (for a
 * slow disk, for the reader of a pipe) holds back reading and tagging instead of letting
 * results pile up in memory. At most `inFlight` results exist at once, plus the one being
 * consumed.
 *
 * A failing `work` rejects the stream at its turn (results before it are yielded first);
 * when the stream ends early (an error, or the consumer stops), the results still in flight
 * are dropped without unhandled rejections.
 *
 * @example
 * for await (const text of mapInOrder(batches, (b) => pool.tagBatchRendered(b, spec), pool.size)) {
 *   await write(text.join(''));
 * }
 */
export async function* mapInOrder<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  work: (item: T) => Promise<R>,
  inFlight = 1,
): AsyncGenerator<R> {
  const limit = Math.max(1, Math.floor(inFlight));
  const pending: Promise<R>[] = [];
  for await (const item of items) {
    const result = work(item);
    // Marked handled at once: a later item may fail while an earlier one is still awaited, or
    // the stream may end before it is awaited. Awaiting it still throws its error.
    result.catch(() => {});
    pending.push(result);
    if (pending.length >= limit) yield await pending.shift()!;
  }
  while (pending.length > 0) yield await pending.shift()!;
}
