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
