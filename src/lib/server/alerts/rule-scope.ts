// Which segments an alert rule may be scoped to, and the errors of scopes that would never get a value.
import type { Db } from '../db';
import { listSegments } from '../metrics/segments';
import type { FieldError, RuleDefinition } from './rule-schema';

/**
 * Segments a rule may be scoped to: those customers carry, those with tolerance settings (set up before the
 * customers arrive), and `default` (customers without one).
 */
export function knownSegments(db: Db): Promise<string[]> {
	return listSegments(db, { withSettings: true, withDefault: true });
}

/**
 * A segment scope no customer carries would never get a value and sit in no-data forever: refused by
 * name (channels are a fixed list, checked by the schema). `defs` pairs each definition with the prefix
 * of its fields ('' or 'rules.3.').
 */
export async function scopeErrors(
	db: Db,
	defs: readonly { definition: RuleDefinition; prefix: string }[]
): Promise<FieldError[]> {
	const wanted = defs.filter((d) => d.definition.kind === 'metric' && d.definition.scope.kind === 'segment');
	if (!wanted.length) return [];
	const known = await knownSegments(db);
	const out: FieldError[] = [];
	for (const { definition: def, prefix } of wanted) {
		if (def.kind !== 'metric' || def.scope.kind !== 'segment' || known.includes(def.scope.value)) continue;
		const list = known.length > 30 ? `${known.slice(0, 30).join(', ')}, … (${known.length} in all)` : known.join(', ');
		out.push({
			field: `${prefix}definition.scope.value`,
			message: `unknown segment ${JSON.stringify(def.scope.value)}: no customer carries it and it has no tolerance settings, so the rule would never get a value; known segments: ${list}`
		});
	}
	return out;
}
