/**
 * A short two-note chime, synthesised with Web Audio (no file, no request).
 * Browsers let a page play audio only after the visitor interacted with it, so
 * the audio context is made then: at once if they already did, else on the
 * first pointerdown or keydown anywhere on the page; until then `play()` is
 * silent.
 */
/** At most one chime in this long, however fast messages come. */
const MIN_GAP_MS = 1000;
const LENGTH_S = 0.3;

export class Chime {
  #context: AudioContext | null = null;
  #last = 0;
  readonly #unlock = new AbortController();

  constructor() {
    const options = { capture: true, passive: true, signal: this.#unlock.signal };
    const unlock = (): void => {
      this.#unlock.abort();
      this.#context = new AudioContext();
    };
    if (navigator.userActivation?.hasBeenActive) unlock();
    else {
      addEventListener('pointerdown', unlock, options);
      addEventListener('keydown', unlock, options);
    }
  }

  play(): void {
    const context = this.#context;
    if (!context || Date.now() - this.#last < MIN_GAP_MS) return;
    this.#last = Date.now();
    // The browser may have suspended it (another app took the audio); resuming may need another interaction.
    if (context.state === 'suspended') context.resume().catch(() => {});
    const t = context.currentTime;
    const tone = context.createOscillator();
    const volume = context.createGain();
    tone.frequency.setValueAtTime(880, t);
    tone.frequency.setValueAtTime(1320, t + 0.1);
    volume.gain.setValueAtTime(0.0001, t);
    volume.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
    volume.gain.exponentialRampToValueAtTime(0.0001, t + LENGTH_S);
    tone.connect(volume).connect(context.destination);
    tone.start(t);
    tone.stop(t + LENGTH_S);
  }

  destroy(): void {
    this.#unlock.abort();
    void this.#context?.close();
  }
}
