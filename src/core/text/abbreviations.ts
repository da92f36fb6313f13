/**
 * Abbreviations that keep their period as part of the token, as CoNLL-2003 writes them
 * (`Mr.`, `St.`, `Inc.`, `Jan.`, `vs.`), and whether a sentence may end after them.
 *
 * @example
 * abbreviationKind('Mr.');  // 'title'  - never ends a sentence
 * abbreviationKind('Inc.'); // 'suffix' - ends one when a capitalised word follows
 * abbreviationKind('U.S.'); // 'title'
 * abbreviationKind('J.');   // 'title'  (an initial)
 * abbreviationKind('cat.'); // undefined
 */

/**
 * - `title`: comes before what it qualifies (`Mr. Smith`, `Jan. 5`, `U.S. troops`, `J. Smith`),
 *   so a sentence never ends right after it.
 * - `suffix`: usually ends a name or phrase (`Apple Inc.`, `Dallas, Tex.`), so a sentence ends
 *   after it when the next word is capitalised.
 *
 * Dotted acronyms are all titles, `p.m.` included: news writes `5 p.m. Friday` and
 * `U.S. troops`, and two sentences left joined hurt a tagger less than one cut in two.
 */
export type AbbreviationKind = 'title' | 'suffix';

const TITLES = [
  'Mr', 'Mrs', 'Ms', 'Messrs', 'Mme', 'Mmes', 'Dr', 'Prof', 'St', 'Ste', 'Mt', 'Ft', 'Fr', 'Rev', 'Hon',
  'Sen', 'Sens', 'Rep', 'Reps', 'Gov', 'Pres', 'Gen', 'Lt', 'Col', 'Maj', 'Capt', 'Cmdr', 'Adm',
  'Sgt', 'Cpl', 'Pvt', 'Supt', 'Insp', 'Det', 'Amb', 'Atty', 'Sec',
  'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec',
  'vs', 'No', 'Nos', 'Vol', 'approx', 'cf', 'ca',
];

const SUFFIXES = ['Inc', 'Corp', 'Co', 'Ltd', 'Jr', 'Sr', 'Bros', 'etc', 'Ave', 'Rd', 'Blvd', 'Dept', 'Univ', 'Assn'];

/** US states as news datelines abbreviate them (`Dallas, Tex.`); capitalised only, since some are words. */
const STATES = [
  'Ala', 'Ariz', 'Ark', 'Calif', 'Colo', 'Conn', 'Fla', 'Ill', 'Ind', 'Kan', 'Kans', 'Ky', 'Md', 'Mass',
  'Mich', 'Minn', 'Miss', 'Mont', 'Neb', 'Nev', 'Okla', 'Ore', 'Tenn', 'Tex', 'Va', 'Vt', 'Wash', 'Wis', 'Wyo',
];

/**
 * `Mr`, `MR` (headlines are often in capitals) and `Vs` at a sentence start; lowercase only
 * where the word is written so (`vs`, `etc`), since `ft.` or `ill.` in lowercase are words.
 */
function variants(words: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const w of words) {
    set.add(w);
    set.add(w.toUpperCase());
    set.add(w[0].toUpperCase() + w.slice(1));
  }
  return set;
}

const TITLE_SET = variants(TITLES);
const SUFFIX_SET = variants([...SUFFIXES, ...STATES]);

/** Words that are abbreviations only before a number (`No. 1`), plain words otherwise (`said no.`). */
const BEFORE_NUMBER = new Set(['No', 'NO', 'Nos', 'NOS', 'no', 'nos']);

/**
 * Is `word` (without its period) an abbreviation that keeps the period that follows it?
 * `beforeNumber` tells whether a number follows, for `No. 1`.
 *
 * @example
 * isAbbreviation('Mr', false); // true
 * isAbbreviation('No', false); // false ("said no.")
 * isAbbreviation('No', true);  // true  ("No. 1")
 */
export function isAbbreviation(word: string, beforeNumber: boolean): boolean {
  if (BEFORE_NUMBER.has(word)) return beforeNumber;
  return TITLE_SET.has(word) || SUFFIX_SET.has(word);
}

/**
 * How a token ending in a period behaves at a possible sentence end, or undefined when it
 * is not an abbreviation. Single capital letters (`J.`) are initials; dotted letter
 * sequences (`U.S.`, `a.m.`) are acronyms.
 */
export function abbreviationKind(token: string): AbbreviationKind | undefined {
  if (token.length < 2 || token.charCodeAt(token.length - 1) !== 46) return undefined;
  const word = token.slice(0, -1);
  if (SUFFIX_SET.has(word)) return 'suffix';
  if (TITLE_SET.has(word)) return 'title';
  if (/^\p{Lu}$/u.test(word)) return 'title';
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return 'title';
  return undefined;
}
