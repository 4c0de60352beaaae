// An item's history: transitions and notes interleaved by time.
import { describe, expect, it } from 'vitest';
import { historyEntries, transitionWords, type HistoryNote, type HistoryTransition } from './worklist-history';

const tr = (at: string, to: string): HistoryTransition => ({ at, actor: 'ann', from: null, to, detail: null });
const note = (created_at: string, text: string, kind: HistoryNote['kind'] = 'note'): HistoryNote => ({
	id: text,
	author: 'bob',
	created_at,
	note: text,
	kind
});

describe('historyEntries', () => {
	it('interleaves notes with transitions by time, a transition first at the same instant', () => {
		const entries = historyEntries(
			[tr('2026-03-01T10:00:00Z', 'open'), tr('2026-03-01T11:00:00Z', 'claimed'), tr('2026-03-01T13:00:00Z', 'resolved')],
			[note('2026-03-01T12:00:00Z', 'voicemail'), note('2026-03-01T13:00:00Z', 'waived', 'resolution'), note('2026-03-01T14:00:00Z', 'follow-up')]
		);
		expect(entries.map((e) => (e.kind === 'note' ? e.note.note : e.transition.to))).toEqual([
			'open',
			'claimed',
			'voicemail',
			'resolved',
			'waived',
			'follow-up'
		]);
		expect(new Set(entries.map((e) => e.key)).size).toBe(6);
	});

	it('keeps transitions recorded at one instant in their order', () => {
		const entries = historyEntries([tr('2026-03-01T10:00:00Z', 'open'), tr('2026-03-01T10:00:00Z', 'claimed')], []);
		expect(entries.map((e) => e.kind === 'transition' && e.transition.to)).toEqual(['open', 'claimed']);
	});
});

describe('transitionWords', () => {
	const t = (actor: string, from: string, to: string, detail: Record<string, unknown> | null): HistoryTransition => ({
		at: '2026-03-01T10:00:00Z',
		actor,
		from,
		to,
		detail
	});
	const release = (actor: string, from: string, note: string | null = null) =>
		transitionWords(t(actor, 'claimed', 'open', { action: 'release', from_assignee: from, note }));
	const assign = (actor: string, from: string | null, to: string, note: string | null = null) =>
		transitionWords(t(actor, from ? 'claimed' : 'open', 'claimed', { action: 'assign', from_assignee: from, to_assignee: to, note }));

	it('says who released an item, and from whom when it was someone else’s', () => {
		expect(release('ana', 'ana')).toEqual({ text: 'released by ana', note: null });
		expect(release('admin', 'bob', 'bob is away')).toEqual({ text: 'released by admin from bob', note: 'bob is away' });
	});

	it('says who handed an item to whom, and a takeover as one', () => {
		expect(assign('ana', 'ana', 'bob', 'on holiday until Monday')).toEqual({
			text: 'handed over by ana to bob',
			note: 'on holiday until Monday'
		});
		expect(assign('admin', 'bob', 'admin')).toEqual({ text: 'taken over by admin from bob', note: null });
		expect(assign('admin', 'bob', 'carol')).toEqual({ text: 'handed over by admin from bob to carol', note: null });
		expect(assign('ana', null, 'bob')).toEqual({ text: 'assigned by ana to bob', note: null });
		expect(assign('ana', null, 'ana')).toEqual({ text: 'claimed by ana', note: null });
	});

	it("says an item was closed because its rule stopped, and that a held one stays with its holder", () => {
		const stop = (by: string | null, rule_stop: string, rule_name: string | null) => ({ rule_stop, rule_id: 'tol', rule_name, by });
		expect(transitionWords(t('system', 'open', 'resolved', { outcome: 'no_action', ...stop('ana', 'disabled', 'Tolerance') }))).toEqual({
			text: "closed: rule 'Tolerance' disabled by ana",
			note: null
		});
		// Closed later by the alert tick (released after the rule stopped): who stopped it is not known there.
		expect(transitionWords(t('system', 'open', 'resolved', stop(null, 'deleted', null)))).toEqual({ text: 'closed: its rule was deleted', note: null });
		expect(transitionWords(t('ana', 'claimed', 'claimed', { ...stop('ana', 'deleted', 'Silent VIPs'), assignee: 'bob' }))).toEqual({
			text: "rule 'Silent VIPs' deleted by ana; the item stays with bob",
			note: null
		});
		expect(transitionWords(t('ana', 'snoozed', 'snoozed', { ...stop('ana', 'disabled', 'Silent VIPs'), assignee: null }))).toEqual({
			text: "rule 'Silent VIPs' disabled by ana; the item stays snoozed",
			note: null
		});
	});

	it('says an item was closed because tolerance settings were saved, with the debt and limit at that moment', () => {
		const change = (settings_segment: string, debt?: number) => ({ outcome: 'no_action', settings_change: true, settings_segment, debt, limit: 23 });
		expect(transitionWords(t('system', 'open', 'resolved', change('vip', 3.94)))).toEqual({
			text: 'closed by the system: debt now 3.9 pts, under the limit of 23 pts, after tolerance settings for vip were changed',
			note: null
		});
		expect(transitionWords(t('system', 'open', 'resolved', change('*', 1234.5)))?.text).toBe(
			'closed by the system: debt now 1,234.5 pts, under the limit of 23 pts, after tolerance settings for every other segment (*) were changed'
		);
		// A detail without numbers still says why.
		expect(transitionWords(t('system', 'open', 'resolved', change('vip')))?.text).toBe('closed by the system: after tolerance settings for vip were changed');
		// The segment's own settings removed (its customers fall back to *).
		expect(transitionWords(t('system', 'open', 'resolved', { ...change('vip', 3.94), settings_removed: true }))?.text).toBe(
			'closed by the system: debt now 3.9 pts, under the limit of 23 pts, after tolerance settings for vip were removed'
		);
		// A normal clearance keeps the plain line.
		expect(transitionWords(t('system', 'open', 'resolved', { outcome: 'no_action', root_cause: 'condition cleared' }))).toBeNull();
	});

	it('leaves other transitions to the plain from → to line', () => {
		expect(transitionWords(t('ann', 'open', 'claimed', null))).toBeNull();
		expect(transitionWords(t('ann', 'claimed', 'resolved', { outcome: 'retained', root_cause: null }))).toBeNull();
		expect(transitionWords(t('system', 'snoozed', 'claimed', { until: '2026-03-02T00:00:00Z' }))).toBeNull();
	});
});
