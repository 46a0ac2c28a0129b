/**
 * The text two rules share exactly when the kernel would treat them as the same rule:
 * their parts joined with NUL. A part holds a value from the rules file; words end at a
 * NUL today (tokens.ts), but the identity must not rest on that, so a part with a NUL or
 * a backslash is escaped first: `\` as `\\`, NUL as `\0`. Then no part holds a NUL and
 * each part reads back one way, so two different lists of parts never join to the same
 * text. Rules rarely hold either character, so most parts are joined as they are.
 */
export function identityText(parts: readonly string[]): string {
  let escaped: string[] | undefined;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    if (part.indexOf('\0') === -1 && part.indexOf('\\') === -1) continue;
    escaped ??= parts.slice();
    escaped[index] = part.replace(/\\/g, '\\\\').replace(/\0/g, '\\0');
  }
  return (escaped ?? parts).join('\0');
}

/**
 * A value from the rules file as one piece of a part, escaped as `identityText` escapes a
 * whole part. The other pieces of a part (field names, operators, list and action names)
 * never hold a NUL or a backslash, so an identity can be joined from pieces in one go,
 * `identitySeparator` between parts, and equal the text `identityText` makes.
 */
export function identityValue(value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (value.indexOf('\0') === -1 && value.indexOf('\\') === -1) return value;
  return value.replace(/\\/g, '\\\\').replace(/\0/g, '\\0');
}

export const identitySeparator = '\0';
