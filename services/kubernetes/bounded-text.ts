// User input ends up in Event messages and log lines; a 256 KB annotation value must not be copied whole into
// either. Values are cut with their length said, messages are cut to what an Event should carry.

/** Longest part of a single value quoted in a message. */
export const MAX_VALUE_CHARS = 100;
/** Longest Event message (the events.k8s.io note limit; core/v1 has none, kubectl shows it on one line). */
export const MAX_MESSAGE_BYTES = 1024;

/** The value quoted, or its start with its full length when it is long. */
export function quoteValue(value: string, max = MAX_VALUE_CHARS): string {
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)`;
}

/** A message cut to at most `maxBytes` UTF-8 bytes, saying how long it was. */
export function boundMessage(message: string, maxBytes = MAX_MESSAGE_BYTES): string {
  if (Buffer.byteLength(message) <= maxBytes) return message;
  const suffix = `… (truncated, ${message.length} characters)`;
  let cut = message.slice(0, maxBytes - Buffer.byteLength(suffix));
  while (Buffer.byteLength(cut) + Buffer.byteLength(suffix) > maxBytes) cut = cut.slice(0, -1);
  return cut + suffix;
}
