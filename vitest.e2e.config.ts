import { defineConfig } from 'vitest/config';

// e2e tests drive Debian's Chromium against the built server; they run one file at a time.
export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.test.ts'],
		environment: 'node',
		testTimeout: 120_000,
		hookTimeout: 180_000,
		fileParallelism: false
	}
});
