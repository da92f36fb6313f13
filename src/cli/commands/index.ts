import type { Command } from '../command.js';

/**
 * Every CLI command, in the order `ner --help` lists them: its name and summary here, its
 * module loaded only when it runs. Importing all eight (TensorFlow.js training, the HTTP
 * server, ...) cost `ner tag "short text"` a tenth of its start-up; test/cli/commands.test.ts
 * checks each summary against the command's own.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'tag', summary: 'tag entities in raw text (arguments, a file, or stdin)', load: async () => (await import('./tag.js')).tagCommand },
  { name: 'predict', summary: 'append predicted tags to a CoNLL file', load: async () => (await import('./predict.js')).predictCommand },
  { name: 'eval', summary: 'score predictions against gold tags (CoNLL evaluation)', load: async () => (await import('./eval.js')).evalCommand },
  { name: 'train', summary: 'train a window classifier on CoNLL files', load: async () => (await import('./train.js')).trainCommand },
  { name: 'cv', summary: 'k-fold cross-validation of training options', load: async () => (await import('./cv.js')).cvCommand },
  { name: 'ensemble', summary: 'average several trained models into one', load: async () => (await import('./ensemble.js')).ensembleCommand },
  { name: 'calibrate', summary: 'fit the temperature of a model\'s scores on dev data', load: async () => (await import('./calibrate.js')).calibrateCommand },
  { name: 'serve', summary: 'serve the model over HTTP (POST /tag, a page at /)', load: async () => (await import('./serve.js')).serveCommand },
];
