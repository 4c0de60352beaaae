import { describe, expect, it } from 'vitest';
import { pageCount, parseCustomerPageQuery } from './list-page-query';

const parse = (q: string) => parseCustomerPageQuery(new URLSearchParams(q));

describe('parseCustomerPageQuery', () => {
	it('takes the defaults for parameters left out or empty (the form sends them all)', () => {
		const want = { q: '', segment: '', status: 'active', risk: '', sort: 'risk', page: 1 };
		expect(parse('')).toEqual({ ok: true, value: want });
		expect(parse('q=&segment=&status=&risk=&sort=&page=')).toEqual({ ok: true, value: want });
		expect(parse('q=%20smith%20&segment=vip&status=all&risk=high&sort=value&page=93')).toEqual({
			ok: true,
			value: { q: 'smith', segment: 'vip', status: 'all', risk: 'high', sort: 'value', page: 93 }
		});
	});

	it('refuses a page that is not a whole number from 1, naming the parameter', () => {
		for (const p of ['0', '-3', 'abc', '2.5', '1e3', ' 2', '99999999999'])
			expect(parse(`page=${encodeURIComponent(p)}`), p).toEqual({
				ok: false,
				error: `page: must be a whole number from 1 (got ${JSON.stringify(p)})`
			});
	});

	it('refuses an unknown status, risk or sort, naming the parameter and what to use', () => {
		expect(parse('status=gone')).toEqual({ ok: false, error: 'status: must be one of active, cancelled, all (got "gone")' });
		expect(parse('risk=HIGH')).toEqual({ ok: false, error: 'risk: must be one of high, medium, low (or empty for all) (got "HIGH")' });
		expect(parse('sort=constructor')).toEqual({
			ok: false,
			error: 'sort: must be one of risk, debt, value, recent, id (got "constructor")'
		});
	});
});

describe('pageCount', () => {
	it('counts whole pages of 50, and one page for an empty list', () => {
		expect(pageCount(4638)).toBe(93);
		expect(pageCount(50)).toBe(1);
		expect(pageCount(51)).toBe(2);
		expect(pageCount(0)).toBe(1);
	});
});
