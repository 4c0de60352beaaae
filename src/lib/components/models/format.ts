// Number formatting shared by the model components (units spelled out next to every figure).
export const fmt3 = (x: number | null | undefined): string => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(3));
/** Brier and ECE: at a low churn rate their differences sit in the fourth decimal (the CLI prints 4 too). */
export const fmt4 = (x: number | null | undefined): string => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(4));
export const fmtLift = (x: number | null | undefined): string => (x == null || !Number.isFinite(x) ? '—' : `${x.toFixed(2)}×`);
/** A signed difference to 3 decimals: "+0.012", "−0.004" (a real minus sign). */
export function fmtSigned(d: number): string {
	if (!Number.isFinite(d)) return '—';
	const r = d.toFixed(3);
	if (Number(r) === 0) return '±0.000';
	return d > 0 ? `+${r}` : `−${r.slice(1)}`;
}
export const fmtSeconds = (s: number | null | undefined): string => {
	if (s == null || !Number.isFinite(s)) return '—';
	if (s < 60) return `${s.toFixed(1)} s`;
	return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
};
export const fmtDay = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '—');
export const fmtCount = (n: number | null | undefined): string => (n == null ? '—' : n.toLocaleString('en-US'));
/** A version's metrics source with its customer count grouped as the table shows counts (older versions recorded "4507 customers"). */
export const fmtMetricsSource = (source: string): string => source.replace(/\((\d+) customers/, (_, n: string) => `(${fmtCount(Number(n))} customers`);
/** What a version predicts, e.g. "inactivity churn within 30 days". */
export const fmtTarget = (definition: string | null | undefined, horizonDays: number | null | undefined): string =>
	`${definition ?? 'unknown'} churn within ${horizonDays ?? '?'} days`;
