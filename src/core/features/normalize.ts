/**
 * How a word is turned into its lookup key: lowercased (the pretrained vectors are
 * lowercased) and with every digit replaced by `0`, so that `1996` and `2003` share one
 * vector and unseen numbers are not unknown words.
 *
 * @example
 * normalizeWord('Berlin'); // 'berlin'
 * normalizeWord('12:30');  // '00:00'
 */
export function normalizeWord(word: string): string {
  return word.toLowerCase().replace(/[0-9]/g, '0');
}
