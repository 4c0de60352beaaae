// Who is making a request. Shared by server guards and the UI (which only ever sees user principals).
export const ROLES = ['admin', 'analyst', 'retention', 'executive'] as const;
export type Role = (typeof ROLES)[number];
export type KeyScope = Role | 'ingest';
export const KEY_SCOPES: readonly KeyScope[] = ['ingest', ...ROLES];

export type Principal =
	| { kind: 'user'; userId: string; username: string; role: Role; sessionId: string }
	| { kind: 'api-key'; keyId: string; name: string; scope: KeyScope }
	| { kind: 'display'; tokenId: string; board: string };

/** What the browser is told about the signed-in user. */
export interface SessionUser {
	id: string;
	username: string;
	role: Role;
}
