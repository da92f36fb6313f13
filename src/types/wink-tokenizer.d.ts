/**
 * Types for `wink-tokenizer`, which ships none. Only what src/text uses is declared.
 */
declare module 'wink-tokenizer' {
  namespace winkTokenizer {
    /** One token as wink returns it: its (possibly normalised) value and its type. */
    interface WinkToken {
      value: string;
      tag: string;
    }

    /** Which token types to detect; a false value turns a type off. */
    interface WinkConfig {
      currency?: boolean;
      email?: boolean;
      emoji?: boolean;
      emoticon?: boolean;
      hashtag?: boolean;
      number?: boolean;
      ordinal?: boolean;
      punctuation?: boolean;
      quoted_phrase?: boolean;
      symbol?: boolean;
      time?: boolean;
      mention?: boolean;
      url?: boolean;
      word?: boolean;
    }

    interface WinkTokenizer {
      defineConfig(config: WinkConfig): number;
      tokenize(sentence: string): WinkToken[];
      getTokensFP(): string;
    }
  }

  function winkTokenizer(): winkTokenizer.WinkTokenizer;
  export = winkTokenizer;
}
