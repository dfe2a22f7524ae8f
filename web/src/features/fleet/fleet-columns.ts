/** The fleet table's columns and their grid, shared by its header and its rows. */
export const COLUMNS = ['Cluster', 'Status', 'Health', 'Violations', 'Rollouts', 'GitOps', 'Region', 'Heartbeat'];
export const GRID = 'grid grid-cols-[minmax(11rem,2fr)_7rem_minmax(13rem,1.5fr)_5rem_7rem_6rem_5rem_8rem] items-center gap-x-2';
/** Row heights in pixels, by kind, for the virtualiser. */
export const ROW_HEIGHT = { tenant: 44, environment: 34, cluster: 40 } as const;
