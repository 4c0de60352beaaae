// What a V8 heap snapshot (.heapsnapshot, as DevTools writes it) holds, by kind: compiled code and the
// object shapes the JIT keeps, JavaScript objects, strings, and the browser's own (native) objects. Two
// snapshots of one page tell a leak in the app's objects from the JIT warming up or the browser's buffers.
import { readFileSync } from 'node:fs';

export interface HeapSummary {
	/** Self sizes in bytes. */
	code: number;
	shapes: number;
	objects: number;
	strings: number;
	native: number;
	other: number;
	total: number;
	/** Largest groups (type + constructor name): bytes and count. */
	groups: Map<string, { bytes: number; count: number }>;
}

interface Snapshot {
	snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
	nodes: number[];
	strings: string[];
}

export function summarizeHeapSnapshot(file: string): HeapSummary {
	const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
	const fields = snap.snapshot.meta.node_fields;
	const types = snap.snapshot.meta.node_types[0];
	const width = fields.length;
	const iType = fields.indexOf('type');
	const iName = fields.indexOf('name');
	const iSize = fields.indexOf('self_size');
	const sum: HeapSummary = { code: 0, shapes: 0, objects: 0, strings: 0, native: 0, other: 0, total: 0, groups: new Map() };
	for (let i = 0; i < snap.nodes.length; i += width) {
		const type = types[snap.nodes[i + iType]];
		const name = snap.strings[snap.nodes[i + iName]];
		const size = snap.nodes[i + iSize];
		let group = `${type} ${name.slice(0, 60)}`;
		if (type === 'code') sum.code += size;
		else if (type === 'object shape') sum.shapes += size;
		else if (type === 'string' || type === 'concatenated string' || type === 'sliced string') {
			sum.strings += size;
			group = 'string';
		} else if (type === 'object' || type === 'closure' || type === 'array' || type === 'regexp' || type === 'number') sum.objects += size;
		else if (type === 'native') sum.native += size;
		else sum.other += size;
		sum.total += size;
		const g = sum.groups.get(group) ?? { bytes: 0, count: 0 };
		g.bytes += size;
		g.count += 1;
		sum.groups.set(group, g);
	}
	return sum;
}

/** Growth from `a` to `b` by kind (KB), and the groups that grew most. */
export function compareHeapSummaries(a: HeapSummary, b: HeapSummary, top = 8) {
	const kb = (x: number) => Math.round(x / 102.4) / 10;
	const grew = [...b.groups]
		.map(([k, g]) => ({ group: k, kb: kb(g.bytes - (a.groups.get(k)?.bytes ?? 0)), count: g.count - (a.groups.get(k)?.count ?? 0) }))
		.sort((x, y) => y.kb - x.kb)
		.slice(0, top);
	return {
		code_kb: kb(b.code - a.code),
		shapes_kb: kb(b.shapes - a.shapes),
		objects_kb: kb(b.objects - a.objects),
		strings_kb: kb(b.strings - a.strings),
		native_kb: kb(b.native - a.native),
		other_kb: kb(b.other - a.other),
		total_kb: kb(b.total - a.total),
		grew_most: grew
	};
}
