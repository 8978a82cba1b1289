import type { SyntaxNode } from '../parse/tree';

export interface ImportedName {
  /** The local name the import binds (empty for a wildcard). */
  name: string;
  qualifiedName: string;
  wildcard: boolean;
}

// Keras is reachable under several roots; rules match one spelling.
const CANONICAL_PREFIXES: [string, string][] = [
  ['tensorflow.python.keras', 'keras'],
  ['tensorflow.keras', 'keras'],
  ['tf_keras', 'keras'],
  ['keras.api._v2.keras', 'keras'],
  ['keras.src', 'keras'],
];

export function canonicalQualifiedName(name: string): string {
  for (const [prefix, replacement] of CANONICAL_PREFIXES) {
    if (name === prefix || name.startsWith(`${prefix}.`)) return replacement + name.slice(prefix.length);
  }
  // `torch.optim.adam.Adam` is `torch.optim.Adam`.
  const optimizerModule = /^torch\.optim\.[a-z_]+\.([A-Z]\w*)$/.exec(name);
  if (optimizerModule) return `torch.optim.${optimizerModule[1]}`;
  return name;
}

/** The names an `import` / `from ... import` statement binds, with what they stand for. */
export function importBindings(statement: SyntaxNode): ImportedName[] {
  const result: ImportedName[] = [];
  if (statement.type === 'import_statement') {
    for (const child of statement.namedChildren) {
      if (child.type === 'dotted_name') {
        // `import torch.nn` binds `torch`; attribute access then spells out the rest.
        const root = child.namedChild(0)?.text;
        if (root) result.push({ name: root, qualifiedName: canonicalQualifiedName(root), wildcard: false });
      } else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name')?.text;
        const alias = child.childForFieldName('alias')?.text;
        if (name && alias) result.push({ name: alias, qualifiedName: canonicalQualifiedName(name), wildcard: false });
      }
    }
    return result;
  }
  const moduleNode = statement.childForFieldName('module_name');
  // Relative imports name the user's own modules, never a framework.
  if (!moduleNode || moduleNode.type === 'relative_import') return result;
  const moduleName = moduleNode.text;
  for (const child of statement.namedChildren) {
    if (child.startIndex === moduleNode.startIndex) continue;
    if (child.type === 'wildcard_import') {
      result.push({ name: '', qualifiedName: moduleName, wildcard: true });
    } else if (child.type === 'dotted_name') {
      result.push({ name: child.text, qualifiedName: canonicalQualifiedName(`${moduleName}.${child.text}`), wildcard: false });
    } else if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name')?.text;
      const alias = child.childForFieldName('alias')?.text;
      if (name && alias) result.push({ name: alias, qualifiedName: canonicalQualifiedName(`${moduleName}.${name}`), wildcard: false });
    }
  }
  return result;
}
