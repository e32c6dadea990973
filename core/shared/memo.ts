/**
 * A pure function of a string, remembered per distinct string: a month repeats a few dozen
 * organizations, products, labels and dates over 100,000 lines, so each spelling is worked out
 * once. The memory is dropped whole past `bound` entries, so it stays a cache and never becomes
 * a record of every value a long-lived background has seen.
 */
export function perSpelling<T>(compute: (value: string) => T, bound: number): (value: string) => T {
  const known = new Map<string, T>();
  return (value) => {
    let result = known.get(value);
    if (result === undefined && !known.has(value)) {
      if (known.size > bound) known.clear();
      result = compute(value);
      known.set(value, result);
    }
    return result as T;
  };
}
