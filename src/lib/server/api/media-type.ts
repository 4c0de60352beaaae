// The media type of a Content-Type header: its part before any parameters, lower case ("" when absent).
export function mediaType(contentType: string | null): string {
	return (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
}
