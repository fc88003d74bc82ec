// Maps a key path in a YAML document to a line and column.
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

// Position of the value at `path`, or of the key itself when `atKey` (unknown keys),
// falling back to the deepest ancestor that exists (missing keys).
export function locate(doc: Document, counter: LineCounter, path: readonly PropertyKey[], atKey = false): Position {
  let node: Node | null = isNode(doc.contents) ? doc.contents : null;
  let offset = node?.range?.[0] ?? 0;
  for (const [index, key] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      const keyNode = isNode(pair.key) ? pair.key : null;
      if (last && atKey && keyNode?.range) return counter.linePos(keyNode.range[0]);
      node = isNode(pair.value) ? pair.value : null;
      // A key with an empty value (`passphrase:`) has no value node: point at the key.
      offset = node?.range?.[0] ?? keyNode?.range?.[0] ?? offset;
      if (!node) break;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!isNode(item)) break;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return counter.linePos(offset);
}
