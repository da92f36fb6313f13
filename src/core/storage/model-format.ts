import type { ModelConfig } from '../model/window-model.js';
import type { GpuAdapterInfo } from '../runtime.js';

/** The model directory format this version writes and reads. Bumped on incompatible change. */
export const FORMAT_VERSION = 2;
export const FORMAT_NAME = 'ner-window-model';

/** Files of a model directory. */
export const MODEL_FILES = {
  manifest: 'model.json',
  weights: 'weights.bin',
  vocabularies: 'vocabularies.json',
  metrics: 'metrics.tsv',
  /** The training report (charts per epoch, the best model's figures on dev), written with metrics.tsv. */
  report: 'report.html',
} as const;

/**
 * The entry of vocabularies.json that holds the gazetteer of a model with the `gazetteer`
 * feature: its names by type (`{ "LOC": ["New York", ...] }`). `@` keeps it apart from the
 * feature names; older models have no such entry and need none.
 */
export const GAZETTEER_ENTRY = '@gazetteer';

/** The entry of vocabularies.json with the topics of the `doctopic` feature (see document-topics.ts). */
export { TOPICS_ENTRY } from '../features/document-topics.js';

/** How one array is stored inside weights.bin. */
export interface TensorEntry {
  name: string;
  shape: number[];
  /**
   * `float32`; `float16`; `int8-rows`: int8 values then one float32 scale per row;
   * `int4-rows`: one float32 scale per row, then the values, two per byte (low nibble first,
   * stored as value + 8). Version 1 wrote only float32 and int8-rows.
   */
  dtype: 'float32' | 'float16' | 'int8-rows' | 'int4-rows';
  offset: number;
  bytes: number;
  /**
   * Present when only some rows are stored: an ensemble member's table that equals the first
   * member's except in `rows` rows (e.g. frozen pretrained vectors), or the learned rows of a
   * word table stored in 4 bits. Stored are the `rows` row indices (int32), then for int8-rows
   * their scales, then the rows' values; every other row is that of the tensor named `base`.
   */
  base?: string;
  rows?: number;
}

/** A data file's size and checksum, so a truncated or damaged file is caught at load. */
export interface FileCheck {
  file: string;
  bytes: number;
  sha256: string;
}

/** What training records about itself, for people and for reproducing the model. */
export interface TrainingSummary {
  /** The options training ran with (data paths, hyperparameters). */
  args: Record<string, unknown>;
  /** The backend that trained; `adapter` when it was webgpu (models from before it lack it). */
  backend: { name: string; gpu: boolean; adapter?: GpuAdapterInfo };
  vectors: string | null;
  bestEpoch: number;
  epochs: number;
  stopped: string;
  dev: { precision: number; recall: number; f1: number };
  test?: { precision: number; recall: number; f1: number };
  /** An ensemble training's networks (TrainArgs.members > 1): bestEpoch, epochs and stopped above are the first one's. */
  members?: { seed: number; bestEpoch: number; epochs: number; stopped: string; dev: { precision: number; recall: number; f1: number } }[];
  seconds: number;
  created: string;
}

/** model.json: everything needed to rebuild the model, and checks of the data files. */
export interface ModelManifest {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  config: ModelConfig;
  weights: FileCheck & { tensors: TensorEntry[] };
  vocabularies: FileCheck;
  training?: TrainingSummary;
}
