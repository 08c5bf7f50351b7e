/**
 * Splits a command string into words as a POSIX shell would (quotes, backslash escapes), without
 * expansion: what Compose does with `command: echo "a b"` (it does not wrap it in `sh -c`).
 */
export function shellSplit(input: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated single quote in ${JSON.stringify(input)}`);
      word += input.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === "\\" && i + 1 < input.length && '"\\$`\n'.includes(input[i + 1]!)) i++;
        word += input[i];
        i++;
      }
      if (i >= input.length) throw new Error(`unterminated double quote in ${JSON.stringify(input)}`);
      inWord = true;
      i++;
    } else if (c === "\\") {
      if (i + 1 < input.length && input[i + 1] !== "\n") word += input[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
