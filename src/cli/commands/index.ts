import type { Command } from '../command.js';
import { calibrateCommand } from './calibrate.js';
import { cvCommand } from './cv.js';
import { ensembleCommand } from './ensemble.js';
import { evalCommand } from './eval.js';
import { predictCommand } from './predict.js';
import { serveCommand } from './serve.js';
import { tagCommand } from './tag.js';
import { trainCommand } from './train.js';

/** Every CLI command, in the order `ner --help` lists them. */
export const commands: Command[] = [tagCommand, predictCommand, evalCommand, trainCommand, cvCommand, ensembleCommand, calibrateCommand, serveCommand];
