// What a backtest of the cancellation definition leaves out, in the words `cx backtest` and the Models page's
// results both use: only live subscriptions at the cutoff are scored, so those who had cancelled are not.

/** "12 customers who had cancelled by the cutoff are not scored (cancellation definition)" */
export function cancelledNotScoredText(n: number): string {
	if (n === 0) return '0 customers had cancelled by the cutoff: none is left out (cancellation definition)';
	const count = n.toLocaleString('en-US');
	return n === 1
		? `${count} customer who had cancelled by the cutoff is not scored (cancellation definition)`
		: `${count} customers who had cancelled by the cutoff are not scored (cancellation definition)`;
}
