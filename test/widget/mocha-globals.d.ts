/**
 * The mocha globals @web/test-runner provides in the browser, declared here so
 * the widget tests type-check without adding @types/mocha.
 */
type Done = (err?: unknown) => void;
type TestFn = (this: unknown, done: Done) => void | Promise<unknown>;

declare function describe(title: string, fn: () => void): void;
declare function it(title: string, fn: TestFn | (() => void | Promise<unknown>)): void;
declare function before(fn: () => void | Promise<unknown>): void;
declare function after(fn: () => void | Promise<unknown>): void;
declare function beforeEach(fn: () => void | Promise<unknown>): void;
declare function afterEach(fn: () => void | Promise<unknown>): void;
