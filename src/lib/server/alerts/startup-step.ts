// At server start: seed the default rules once, route alert/work-item events to the live hub and
// start the alert loop. The loop computes the tiles its rules need itself (channel/segment scopes
// the live ticker does not publish), on the same tick period. When the server stops, the loop ends
// with its tick in progress, before the final checkpoint (shutdown.ts).
import { config } from '../config';
import { liveHub } from '../live/hub';
import { log } from '../log';
import { onShutdown } from '../shutdown';
import type { StartupStep } from '../startup';
import { startAlertLoop, type AlertLoop } from './alert-loop';
import { seedDefaultRules } from './default-rules';
import { setAlertsPublisher } from './live-bridge';
import { refusedDestinations } from './webhooks';

const KEY = Symbol.for('cx-command.alert-loop');
type WithLoop = typeof globalThis & { [KEY]?: AlertLoop };

export function runningAlertLoop(): AlertLoop | undefined {
	return (globalThis as WithLoop)[KEY];
}

export const alertsStep: StartupStep = {
	name: 'alerts',
	run: async (db) => {
		if (await seedDefaultRules(db)) log.info('alerts: default rules created');
		const hub = liveHub();
		setAlertsPublisher({
			alert: (e) => hub.publish('alert', e),
			workitem: (e) => hub.publish('workitem', e),
			firing: (e) => hub.publish('firing', e)
		});
		const g = globalThis as WithLoop;
		const loop = (g[KEY] ??= startAlertLoop(db, config().tickMs));
		onShutdown({ name: 'alerts', phase: 'writers', stop: () => loop.stop() });
		// In the background: it resolves host names.
		void refusedDestinations(db).then(
			(refused) => {
				for (const d of refused) log.warn(`alerts: webhook destination "${d.name}" (${d.host}) will not be sent notifications: ${d.reason}`);
			},
			(e: unknown) => log.warn(`alerts: could not check webhook destinations: ${e instanceof Error ? e.message : String(e)}`)
		);
	}
};
