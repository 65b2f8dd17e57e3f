/**
 * The frame shared by the read-side contract suites: the same cases run against every adapter of a
 * port (`<port>.contract.ts`), each adapter supplying a factory from its `*.int-spec.ts`.
 */
export interface ContractFixture<T> {
  /**
   * Opens an adapter on this fixture's store. Every call opens another instance on the same data
   * (a second connection or file handle), like a second process: concurrency cases use two.
   */
  open(): Promise<T>;
  /** Closes what `open` returned; the data goes with it (or is emptied before the next test). */
  cleanup(): Promise<void>;
  /**
   * Makes every instance's writes so far visible to the others, as the service does before it
   * answers a request (embedded: commits the group transactions). Absent: writes are visible at once.
   */
  settle?(): Promise<void>;
}

/** Called before every test: a fixture on an empty store. */
export type ContractFactory<T> = () => Promise<ContractFixture<T>>;

export interface ContractOptions {
  /** When set, the suite is skipped and a visible todo says why (e.g. "MONGO_URL is not set"). */
  skipReason?: string;
}

export interface ContractContext<T> {
  /** The instance opened for the current test. */
  readonly subject: T;
  /** Another instance on the same data, as another process would have. */
  another(): Promise<T>;
  /** See ContractFixture.settle: call between a write on one instance and a read on another. */
  settle(): Promise<void>;
}

/**
 * Declares `suiteName` (which names the adapter, so every test name shows it) and hands the cases
 * a context whose `subject` is fresh for each test.
 */
export function describeContract<T>(
  suiteName: string,
  factory: ContractFactory<T>,
  options: ContractOptions,
  cases: (context: ContractContext<T>) => void,
): void {
  const { skipReason } = options;
  if (skipReason) {
    // Jest prints nothing for a file whose tests are all skipped: the todo keeps the reason visible.
    it.todo(`${suiteName} needs its backing service: ${skipReason}`);
    // eslint-disable-next-line no-console
    console.warn(`${suiteName} skipped: ${skipReason}`);
  }
  (skipReason ? describe.skip : describe)(suiteName, () => {
    let fixture: ContractFixture<T> | undefined;
    let subject: T | undefined;

    beforeEach(async () => {
      fixture = await factory();
      subject = await fixture.open();
    });

    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
      subject = undefined;
    });

    cases({
      get subject(): T {
        if (subject === undefined) throw new Error('no adapter is open outside a test');
        return subject;
      },
      another: () => {
        if (!fixture) throw new Error('no fixture outside a test');
        return fixture.open();
      },
      settle: async () => {
        if (!fixture) throw new Error('no fixture outside a test');
        await fixture.settle?.();
      },
    });
  });
}
