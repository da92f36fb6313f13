import type { Command } from '../command.js';
import { evalCommand } from './eval.js';
import { predictCommand } from './predict.js';
import { trainCommand } from './train.js';
import { tagCommand } from './tag.js';

/** Every CLI command, in the order `ner --help` lists them. */
export const commands: Command[] = [predictCommand, evalCommand, trainCommand, tagCommand];
