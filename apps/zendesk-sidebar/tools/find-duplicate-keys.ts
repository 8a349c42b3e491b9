/**
 * Lists the keys that appear twice in the same JSON object (JSON.parse keeps the last one silently; Zendesk's
 * validator rejects them). Expects text that JSON.parse accepts.
 */
export function findDuplicateKeys(text: string): string[] {
  const duplicates: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i += 1;
  };
  const readString = (): string => {
    const start = i;
    i += 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i += 1;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const readValue = (path: string): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i += 1;
      const keys = new Set<string>();
      skipSpace();
      if (text[i] === '}') {
        i += 1;
        return;
      }
      for (;;) {
        skipSpace();
        const key = readString();
        const keyPath = path ? `${path}.${key}` : key;
        if (keys.has(key)) duplicates.push(keyPath);
        keys.add(key);
        skipSpace();
        i += 1; // ':'
        readValue(keyPath);
        skipSpace();
        if (text[i] === ',') i += 1;
        else {
          i += 1; // '}'
          return;
        }
      }
    } else if (c === '[') {
      i += 1;
      skipSpace();
      if (text[i] === ']') {
        i += 1;
        return;
      }
      for (let n = 0; ; n += 1) {
        readValue(`${path}[${n}]`);
        skipSpace();
        if (text[i] === ',') i += 1;
        else {
          i += 1;
          return;
        }
      }
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i] ?? '')) i += 1;
    }
  };
  readValue('');
  return duplicates;
}
