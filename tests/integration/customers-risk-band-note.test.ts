// The customer page's reason for a score's band, read from the scoring version's metadata in a real
// registry folder: said for bands set from validation customers, silent for anything it cannot know.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { riskBandNote } from '../../src/lib/server/customers/risk-band-note';
import { tempDirForFile } from '../helpers/temp-db';

const dir = tempDirForFile('cx-band-note-');

function version(v: string, metadata: string) {
	mkdirSync(join(dir, v), { recursive: true });
	writeFileSync(join(dir, v, 'metadata.json'), metadata);
}

// Shares as bandsFromValidation records them: ties at a bound can put a little more than 10 % in "high".
version(
	'v0001',
	JSON.stringify({
		version: 'v0001',
		bands: { medium: 0.086, high: 0.161, validation_share: { medium: 0.30019968, high: 0.1053 } }
	})
);
// Saved before bands were fitted: fixed bands, no shares.
version('v0002', JSON.stringify({ version: 'v0002', bands: { medium: 0.3, high: 0.6 } }));
version('v0003', '{ "version": "v0003", "bands": ');
version(
	'v0004',
	JSON.stringify({
		version: 'v0004',
		bands: { medium: 0.1, high: 0.2, validation_share: { medium: 'most', high: null } }
	})
);

describe('riskBandNote', () => {
	it("says where each band sits among the model's validation customers", () => {
		expect(riskBandNote(dir, 'v0001', 'high')).toBe('among the riskiest 10.5 % of customers for model v0001');
		expect(riskBandNote(dir, 'v0001', 'medium')).toBe(
			'among the riskiest 30 % of customers for model v0001, below the top 10.5 %'
		);
		expect(riskBandNote(dir, 'v0001', 'low')).toBe('outside the riskiest 30 % of customers for model v0001');
	});

	it('says nothing for fixed bands, a version the registry lacks or cannot read, or no band', () => {
		expect(riskBandNote(dir, 'v0002', 'high')).toBeNull();
		expect(riskBandNote(dir, 'v0099', 'high')).toBeNull();
		expect(riskBandNote(dir, 'v0003', 'high')).toBeNull();
		expect(riskBandNote(dir, 'v0004', 'high')).toBeNull();
		expect(riskBandNote(dir, null, 'high')).toBeNull();
		expect(riskBandNote(dir, 'v0001', null)).toBeNull();
		// Not a version name: never looked up as a path.
		expect(riskBandNote(dir, '../v0001', 'high')).toBeNull();
	});

	it('reads a version copied into the registry after it was first asked for', () => {
		expect(riskBandNote(dir, 'v0005', 'high')).toBeNull();
		version(
			'v0005',
			JSON.stringify({
				version: 'v0005',
				bands: { medium: 0.1, high: 0.2, validation_share: { medium: 0.3, high: 0.1 } }
			})
		);
		expect(riskBandNote(dir, 'v0005', 'high')).toBe('among the riskiest 10 % of customers for model v0005');
	});
});
