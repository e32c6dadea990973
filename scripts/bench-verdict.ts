/**
 * How the browser benchmarks end: one verdict line (`within budget` or `OVER BUDGET`, with the
 * run's length) that CI logs and the README quote, and the exit code that says the same: 0 within
 * budget, 1 over, 2 when the run itself failed.
 */
export function runBench(main: () => Promise<boolean>, opts: { blankLineBefore?: boolean } = {}): void {
  const started = Date.now();
  main().then(
    (ok) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      console.log(`${opts.blankLineBefore ? '\n' : ''}${ok ? 'within budget' : 'OVER BUDGET'} · ${seconds} s`);
      process.exit(ok ? 0 : 1);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}

/** How a measuring script without a budget (a profile, a probe) ends: 0 when it ran, 2 when it failed. */
export function runScript(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : err);
      process.exit(2);
    },
  );
}
