/**
 * Quote long numbers before `JSON.parse`, so they survive as exact text.
 *
 * `JSON.parse` turns every number into a double: torch_npu `torch_to_npu`
 * flow ids (> 2^53) get rounded, and Kineto float timestamps such as
 * `1712195495505543.2` lose their decimals. A regex that wraps the value of
 * `"ts"`, `"id"` and `"baseTimeNanoseconds"` in quotes when it has 16 or more
 * characters costs a fraction of the parse; a reviver would cost 7× the parse
 * (docs/performance.md §2.1). Shorter values are exact as doubles at the
 * precision they were written with, and stay numbers.
 *
 * Pure module.
 */

/**
 * Key, separator, then a number of at least 16 digits/dots. Matching on the
 * key text is safe: the key of an event field cannot occur unquoted inside a
 * JSON string, because the quote before it would be escaped there.
 */
const LONG_NUMBER_FIELD =
  /("(?:ts|id|baseTimeNanoseconds)"\s*:\s*)(-?\d[\d.]{15,}(?:[eE][-+]?\d+)?)/g;

/**
 * Return `text` with long numeric values of `ts`, `id` and
 * `baseTimeNanoseconds` turned into JSON strings (`"ts": 1.5` stays,
 * `"id": 1736408883704643212` becomes `"id": "1736408883704643212"`).
 */
export function quoteBigNumbers(text: string): string {
  return text.replace(LONG_NUMBER_FIELD, '$1"$2"');
}
