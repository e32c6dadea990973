/** The cost of pairing row i with column j; `incompatible` or more means they may not pair. */
export type AssignmentCost = (i: number, j: number) => number;

/** Costs are kept in a matrix up to this many cells (8 bytes each); larger groups recompute them. */
const MATRIX_LIMIT = 4_000_000;

/**
 * Minimum-cost assignment of n rows to m columns (DESIGN §3.6: matching is an assignment that
 * minimises total difference, for groups of any size). Pairs costing `incompatible` or more are
 * never returned. Rows and columns that cannot pair with anything are set aside first, and the
 * rest is split into independent components, so a large group whose members only pair with
 * their own look-alikes costs little more than reading its costs once.
 *
 * The solver is the shortest-augmenting-path form of the Hungarian method (potentials on rows and
 * columns); ties go to the lower column index, so the result depends only on the order of the
 * inputs, which callers sort on their ids.
 */
export function assign(n: number, m: number, costOf: AssignmentCost, incompatible: number): [number, number][] {
  if (n === 0 || m === 0) return [];
  const matrix = n * m <= MATRIX_LIMIT ? new Float64Array(n * m) : null;
  // Union-find over rows (0..n-1) and columns (n..n+m-1), joined by every compatible pair.
  const parent = new Int32Array(n + m);
  for (let k = 0; k < n + m; k++) parent[k] = k;
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]!]!;
      k = parent[k]!;
    }
    return k;
  };
  const linked = new Uint8Array(n + m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const c = costOf(i, j);
      if (matrix) matrix[i * m + j] = c;
      if (c >= incompatible) continue;
      linked[i] = 1;
      linked[n + j] = 1;
      const a = find(i);
      const b = find(n + j);
      if (a !== b) parent[a < b ? b : a] = a < b ? a : b;
    }
  }
  const components = new Map<number, { rows: number[]; cols: number[] }>();
  const slot = (root: number) => {
    let c = components.get(root);
    if (!c) components.set(root, (c = { rows: [], cols: [] }));
    return c;
  };
  for (let i = 0; i < n; i++) if (linked[i]) slot(find(i)).rows.push(i);
  for (let j = 0; j < m; j++) if (linked[n + j]) slot(find(n + j)).cols.push(j);

  const cost = matrix ? (i: number, j: number) => matrix[i * m + j]! : costOf;
  const out: [number, number][] = [];
  for (const { rows, cols } of components.values()) {
    if (rows.length === 1 && cols.length === 1) {
      out.push([rows[0]!, cols[0]!]);
      continue;
    }
    const transposed = rows.length > cols.length;
    const r = transposed ? cols : rows;
    const c = transposed ? rows : cols;
    const local = transposed ? (a: number, b: number) => cost(c[b]!, r[a]!) : (a: number, b: number) => cost(r[a]!, c[b]!);
    for (const [a, b] of hungarian(r.length, c.length, local)) {
      const i = transposed ? c[b]! : r[a]!;
      const j = transposed ? r[a]! : c[b]!;
      if (cost(i, j) < incompatible) out.push([i, j]);
    }
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/** Rows ≤ columns. Returns one column per row. */
function hungarian(n: number, m: number, cost: (row: number, col: number) => number): [number, number][] {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      const ui = u[i0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - ui - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out: [number, number][] = [];
  for (let j = 1; j <= m; j++) if (p[j] !== 0) out.push([p[j]! - 1, j - 1]);
  return out;
}
