// `npm run fuzz`: the fuzz suite at full size (≥ 100,000 generated inputs, full-size pathological files).
// The same files run at a small size inside `npm test`; NANLINT_FUZZ=long switches them to the long run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.test.ts'],
    env: { NANLINT_FUZZ: 'long' },
    testTimeout: 4 * 3_600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // One file at a time: the properties' time bounds assume the machine is not shared with another fork.
    fileParallelism: false,
  },
});
