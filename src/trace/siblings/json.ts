/**
 * JSON helpers shared by the sibling parsers of JSON files.
 *
 * Pure module.
 */

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** The text parsed as a JSON object, or null when it is not JSON or not an object. */
export function parseJsonObject(text: string): JsonObject | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return asObject(value) ?? null;
}

/** The value when it is a plain object (not an array, not null). */
export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** The value when it is a boolean. */
export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** The value as text when it is a non-empty string or a finite number. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value === '' ? undefined : value;
  }
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}
