/**
 * A worker thread of TaggerPool: builds the model once (on the weights the pool shares between
 * its workers), then tags the batches it is sent.
 * Each worker has its own TensorFlow.js backend (wasm runs single-threaded in Node, so a
 * second core is only used by a second worker).
 */
import '../runtime.js';
import { parentPort, workerData } from 'node:worker_threads';
import { documentFromWords, sentencesOf, tokenCount } from '../../core/document/document.js';
import { NerError } from '../../core/errors.js';
import { Tagger } from '../../core/tagger/tagger.js';
import type { PoolRequest, PoolResponse, PoolWorkerData } from './worker-protocol.js';

const port = parentPort!;
const data = workerData as PoolWorkerData;

function failure(err: unknown): PoolResponse['error'] {
  return err instanceof NerError
    ? { message: err.message, code: err.code }
    : { message: err instanceof Error ? err.message : String(err) };
}

try {
  const tagger = await Tagger.load(data.files ?? data.modelDir, { backend: data.backend });
  // One cache in the pool's shared memories, else each worker its share: the pool holds what one Tagger would.
  const model = tagger.model;
  const memories = data.projectionMemories?.length === model.memberCount ? data.projectionMemories : undefined;
  model.useFirstLayerProjections({ modelBudgetBytes: data.projectionBudgetBytes, memories });
  port.on('message', async (request: PoolRequest) => {
    try {
      if ('documents' in request) {
        const documents = request.documents.map((sentences) => documentFromWords(sentences));
        await tagger.tagDocuments(documents);
        // Tags as small integers and scores (float64, as computed) in transferred buffers: nothing to copy or rebuild.
        const tagSet = tagger.model.config.tags;
        const index = new Map(tagSet.map((t, i) => [t, i]));
        const count = tokenCount(documents);
        const sentences = sentencesOf(documents);
        const tagIds = new Uint16Array(count);
        const scores = new Float64Array(count);
        const entityCounts = new Uint32Array(sentences.length);
        const entityScores = new Float64Array(sentences.reduce((n, s) => n + s.entityScores!.length, 0));
        let k = 0;
        let e = 0;
        sentences.forEach((sentence, j) => {
          sentence.predicted!.forEach((tag, i) => {
            tagIds[k] = index.get(tag)!;
            scores[k++] = sentence.scores![i];
          });
          entityCounts[j] = sentence.entityScores!.length;
          entityScores.set(sentence.entityScores!, e);
          e += sentence.entityScores!.length;
        });
        const response: PoolResponse = { id: request.id, tagIds, scores, entityCounts, entityScores, tagSet };
        port.postMessage(response, [tagIds.buffer, scores.buffer, entityCounts.buffer, entityScores.buffer]);
      } else if (request.render) {
        // Rendered here, the results cross to the main thread as strings: far cheaper to
        // copy than the objects, and the main thread is left only writing them.
        const rendered = await tagger.tagBatchRendered(request.texts, request.render, { minScore: request.minScore });
        port.postMessage({ id: request.id, rendered } satisfies PoolResponse);
      } else {
        const results = await tagger.tagBatch(request.texts, { minScore: request.minScore });
        port.postMessage({ id: request.id, results } satisfies PoolResponse);
      }
    } catch (err) {
      port.postMessage({ id: request.id, error: failure(err) } satisfies PoolResponse);
    }
  });
  port.postMessage({ id: -1, ready: true, backend: tagger.backend.name } satisfies PoolResponse);
} catch (err) {
  port.postMessage({ id: -1, error: failure(err) } satisfies PoolResponse);
}
