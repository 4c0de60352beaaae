// A wall board as GET /api/v1/walls/boards answers it: the server builds it (metrics/board-json.ts) and
// Settings → Wall boards reads it (components/settings/board-form.ts), so the shape is written once.
import type { WindowId } from './format';

export interface BoardJson {
	name: string;
	title: string;
	window: WindowId;
	tiles: string[];
	columns: number;
	rotate_seconds: number;
	playlist: string[];
	builtin: boolean;
	created_at: string | null;
	created_by: string | null;
	updated_at: string | null;
	updated_by: string | null;
}
