import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// CSRF origin check stays on (the default); spelled out so nobody turns it off by accident.
		csrf: { trustedOrigins: [] }
	}
};

export default config;
