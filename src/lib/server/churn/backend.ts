// Picks the TF.js backend once per process: tfjs-node when it is installed and loads, else wasm.
import * as tf from '@tensorflow/tfjs';
import { log } from '../log';

let ready: Promise<string> | undefined;

async function tryNode(): Promise<boolean> {
	try {
		// A variable specifier keeps bundlers and type checks away from the optional package.
		const name = ['@tensorflow', 'tfjs-node'].join('/');
		await import(/* @vite-ignore */ name);
		return tf.findBackend('tensorflow') !== undefined && (await tf.setBackend('tensorflow'));
	} catch (e) {
		const err = e as { code?: string; message?: string };
		if (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND' || /native addon|tfjs_binding|\.node\b/i.test(err.message ?? '')) {
			return false;
		}
		throw e;
	}
}

/** Resolves to the backend name (used for training and scoring); logs it once. */
export function initBackend(): Promise<string> {
	ready ??= (async () => {
		if (!(await tryNode())) {
			await import('@tensorflow/tfjs-backend-wasm');
			await tf.setBackend('wasm');
		}
		await tf.ready();
		const name = tf.getBackend();
		log.info(`churn model: TF.js backend ${name}${name === 'wasm' ? ' (@tensorflow/tfjs-node not available)' : ''}`);
		return name;
	})();
	return ready;
}

export { tf };
