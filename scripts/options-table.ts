/**
 * Prints the README's table of `ner train` options, made from TRAIN_OPTIONS:
 *   npx tsc -p tsconfig.json && node dist/scripts/options-table.js
 * Paste its output into README.md (section "`ner train`"); test/train/options-table.test.ts
 * fails while the README holds anything else.
 */
import { fileURLToPath } from 'node:url';
import { defaultText, rangeText } from '../src/core/train/option-text.js';
import { TRAIN_OPTION_KEYS, TRAIN_OPTIONS, type TrainOption } from '../src/core/train/options.js';

/** The options as a markdown table: flag | default | range | what. */
export function trainOptionsMarkdown(): string {
  const rows = TRAIN_OPTION_KEYS.map((key) => {
    const option: TrainOption = TRAIN_OPTIONS[key];
    const flag = `\`--${option.flag}${option.placeholder ? ` ${option.placeholder}` : ''}\``;
    return `| ${[flag, defaultText(option), rangeText(option), option.help].map(cell).join(' | ')} |`;
  });
  return ['| flag | default | range | what |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

/** Text safe in a table cell: no column break, no HTML tag (`<UNK>`). */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/<(?=[A-Za-z/])/g, '&lt;');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(trainOptionsMarkdown());
