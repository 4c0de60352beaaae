// A wall board as the API answers it (snake_case, like every /api/v1 body).
import type { BoardJson } from '../../shared/board-json';
import type { StoredBoard } from './board-store';

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
