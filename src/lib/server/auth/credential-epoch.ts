// A counter this process bumps whenever a credential stops working or changes what it allows (a revoked key
// or display token, a disabled user, ended sessions, a new role). Long-lived connections (event streams, which
// a wall keeps open for weeks) re-check their credentials when it moves, instead of querying every few seconds.
let epoch = 0;

export function credentialsChanged(): void {
	epoch++;
}

export function credentialEpoch(): number {
	return epoch;
}
