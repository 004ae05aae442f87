/**
 * The words of a name beyond the name as written: split at punctuation and camel case
 * ("Node.js" → "Node js", "GitHub" → "Git Hub"), then joined where punctuation glued words
 * ("Node.js" → "Nodejs"); empty when the name has nothing to split. The same rule as the
 * SQL function `stockroom_name_words` of the Postgres backend (a test compares the two),
 * for backends that index in JavaScript.
 */
export function nameWords(name: string): string {
  const split = name
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  const joined = name.replace(/[^\p{L}\p{N}\s]+/gu, '');
  return [split !== name ? split : '', joined !== name ? joined : ''].filter(Boolean).join(' ');
}
