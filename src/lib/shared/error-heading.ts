// The heading of an error page. A page answers 400 only for an address whose query it cannot use
// (?window=2h, a bad cursor): "something went wrong" sounded like a fault of the server's.
export function errorHeading(status: number): string {
	if (status === 400) return '400 — this address has a parameter the page cannot use';
	if (status === 403) return '403 — not allowed';
	if (status === 404) return '404 — not found';
	return `${status} — something went wrong`;
}
