// The newest firing list a page received on its stream, for the count beside "Alerts": the layout has no
// stream of its own, and its load's count went stale while the Overview's list moved (QA: "▲ 1 firing"
// above "No metric alert rules firing").
export const liveFiring = $state<{ count: number | null }>({ count: null });
