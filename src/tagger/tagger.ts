import { NerError } from '../errors.js';
import type { TagResult, TextTagger } from './types.js';

/**
 * Tags raw text with a trained window model.
 * (Being written: the lead replaces this placeholder with the real model-backed tagger.)
 */
export class Tagger implements TextTagger {
  static async load(dir?: string): Promise<Tagger> {
    throw new NerError('E_MODEL', `no model can be loaded yet${dir ? ` from ${dir}` : ''}`);
  }

  async tag(text: string): Promise<TagResult> {
    return (await this.tagBatch([text]))[0];
  }

  async tagBatch(_texts: readonly string[]): Promise<TagResult[]> {
    throw new NerError('E_MODEL', 'no model loaded');
  }
}
