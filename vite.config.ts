import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	ssr: {
		// Native addons and wasm-loading packages must be loaded by Node at run time, not bundled.
		external: [
			'@duckdb/node-api',
			'@node-rs/argon2',
			'@tensorflow/tfjs',
			'@tensorflow/tfjs-backend-wasm',
			'@tensorflow/tfjs-node'
		]
	},
	test: {
		include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 60_000,
		pool: 'forks'
	}
});
