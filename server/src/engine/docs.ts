import type { Rule } from './rule';

/** Where the rendered rule pages live (docs/rules/<CODE>.md in the repository). */
export const DOCS_BASE_URL = 'https://github.com/nanlint/nanlint/blob/main/docs/rules';

export function docsUrl(code: string): string {
  return `${DOCS_BASE_URL}/${code}.md`;
}

const FRAMEWORK_NAMES = { pytorch: 'PyTorch', keras: 'TensorFlow / Keras' } as const;

/** The rule's page, rendered from its meta: the single source of docs/rules/*.md, `nanlint rule` and hover. */
export function renderRuleDoc(rule: Rule): string {
  const { meta } = rule;
  const { docs } = meta;
  const fix = meta.fix === 'none' ? 'none' : meta.fix;
  return [
    `# ${meta.code}: ${meta.name}`,
    '',
    docs.summary,
    '',
    `- Default severity: ${meta.severity}`,
    `- Frameworks: ${meta.frameworks.map((framework) => FRAMEWORK_NAMES[framework]).join(', ')}`,
    `- Fix: ${fix}`,
    '',
    '## What it does',
    '',
    docs.whatItDoes,
    '',
    '## Why it makes NaN',
    '',
    docs.whyNaN,
    '',
    '## Example',
    '',
    '```python',
    docs.example.trimEnd(),
    '```',
    '',
    '## Use instead',
    '',
    '```python',
    docs.useInstead.trimEnd(),
    '```',
    '',
    '## Fix safety',
    '',
    docs.fixSafety,
    '',
    '## When to ignore',
    '',
    docs.whenToIgnore,
    '',
    '## References',
    '',
    ...docs.references.map((reference) => `- ${reference}`),
    '',
  ].join('\n');
}
