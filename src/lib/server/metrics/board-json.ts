// A wall board as the API answers it (snake_case, like every /api/v1 body).
import type { WindowId } from '../../shared/format';
import type { StoredBoard } from './board-store';

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

export function boardJson(b: StoredBoard): BoardJson {
	return {
		name: b.name,
		title: b.title,
		window: b.window,
		tiles: [...b.tiles],
		columns: b.columns,
		rotate_seconds: b.rotateSeconds,
		playlist: [...b.playlist],
		builtin: b.builtin,
		created_at: b.createdAt,
		created_by: b.createdBy,
		updated_at: b.updatedAt,
		updated_by: b.updatedBy
	};
}
