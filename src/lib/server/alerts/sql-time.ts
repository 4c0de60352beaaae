// TIMESTAMP columns hold UTC; values are bound as ISO text and cast, never interpolated.
export function sqlTs(ms: number): string {
	return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function isoOrNull(d: Date | null | undefined): string | null {
	return d ? d.toISOString() : null;
}
