import { describe, expect, it } from 'vitest';
import { readSharedModelFiles } from '../../src/node/workers/shared-model-files.js';
import { sharedProjectionMemories } from '../../src/node/workers/shared-projection-memories.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('sharedProjectionMemories', () => {
  it('makes one shared memory per member of the model: one for the bundled model, five for the bundled ensemble', async () => {
    for (const [name, members] of [['conll2003-en', 1], ['conll2003-en-ensemble', 5]] as const) {
      const memories = sharedProjectionMemories((await readSharedModelFiles(name))!)!;
      expect(memories).toHaveLength(members);
      for (const memory of memories) expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(new Set(memories).size).toBe(members);
    }
  });

  it('leaves a broken model.json or member count to the workers\' loader (undefined: private caches)', () => {
    const files = (model: string) => ({ model: bytes(model), weights: new Uint8Array(0), vocabularies: new Uint8Array(0) });
    expect(sharedProjectionMemories(files('{ not json'))).toBeUndefined();
    expect(sharedProjectionMemories(files('{"config":{"members":0}}'))).toBeUndefined();
    expect(sharedProjectionMemories(files('{"config":{"members":"2"}}'))).toBeUndefined();
    expect(sharedProjectionMemories(files('{"config":{}}'))).toHaveLength(1);
  });
});
