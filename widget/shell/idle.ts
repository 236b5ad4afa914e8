/** Waiting for the page to settle, for what a page does not need at once (a closed launcher's parts). */

/** Runs `task` once the page has loaded and the browser is idle: a closed launcher costs the page nothing before. */
export function whenIdle(task: () => void): void {
  const idle = (): void => void ('requestIdleCallback' in globalThis ? requestIdleCallback(task, { timeout: 5000 }) : setTimeout(task, 1000));
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}
