// One readable line per training epoch, for the CLI.
import type { TrainProgress } from './train';

export function formatProgress(p: TrainProgress): string {
	return `epoch ${String(p.epoch).padStart(2)}/${p.epochs}  loss ${p.loss.toFixed(4)}  val_loss ${p.val_loss.toFixed(4)}  val_auc ${p.val_auc.toFixed(4)}  eta ${p.eta_s} s`;
}
