// Where an alert webhook may post. Whoever edits webhooks (analysts) could otherwise make the server send
// requests to internal services — the cloud metadata address, an admin port on localhost — and read
// their status in the delivery log. Non-public addresses are refused unless CX_WEBHOOK_ALLOW_PRIVATE=on
// (for an internal chat server). Checked when a destination is saved and again before each request,
// after DNS, since a name can change what it points to; redirects are not followed.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { config } from '../config';

const NON_PUBLIC = new BlockList();
for (const [net, bits] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['224.0.0.0', 3]
] as const)
	NON_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
	['::', 128],
	['::1', 128],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8]
] as const)
	NON_PUBLIC.addSubnet(net, bits, 'ipv6');

/** Whether an IP address is loopback, private, link-local, multicast or otherwise not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
	const v = isIP(address);
	if (v === 4) return NON_PUBLIC.check(address, 'ipv4');
	if (v !== 6) return false;
	// IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address.
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	return mapped ? NON_PUBLIC.check(mapped[1], 'ipv4') : NON_PUBLIC.check(address, 'ipv6');
}

/** Why `url` may not receive webhooks, or null. Resolves the host name: every address it has must be public. */
export async function webhookTargetRefusal(url: string): Promise<string | null> {
	if (config().webhookAllowPrivate) return null;
	let host: string;
	try {
		host = new URL(url).hostname.replace(/^\[|\]$/g, '');
	} catch {
		return 'url must be an http(s) URL';
	}
	let addresses: string[];
	try {
		addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
	} catch {
		// Unresolvable now: nothing to judge. Saving is allowed (DNS may be down for a moment) and the
		// request itself then fails with its own error, logged with the delivery.
		return null;
	}
	const bad = addresses.find(isNonPublicAddress);
	return bad === undefined
		? null
		: `${host === bad ? bad : `${host} (${bad})`} is not a public address; webhooks to internal targets need CX_WEBHOOK_ALLOW_PRIVATE=on`;
}
