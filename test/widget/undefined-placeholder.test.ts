/**
 * When chat-room.js cannot load (the chat server is down as the page opens),
 * `<chat-room>` stays undefined: the demo's `chat-room:not(:defined)` rule
 * keeps its place, says it is loading, and after a while that the chat is
 * unavailable. In a frame of its own, where the element is not defined.
 */
import { expect } from '@esm-bundle/chai';

describe('placeholder of an undefined <chat-room> (demo)', () => {
  let frame: HTMLIFrameElement;
  afterEach(() => frame.remove());

  it('holds the height, says it is loading, then that the chat is unavailable, and gives way once defined', async () => {
    frame = document.createElement('iframe');
    frame.style.width = '600px';
    frame.style.height = '600px';
    frame.srcdoc = '<link rel="stylesheet" href="/demo/demo.css"><chat-room site="demo" room="lobby"></chat-room>';
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const win = frame.contentWindow!;
    const el = win.document.querySelector('chat-room')!;
    const before = () => win.getComputedStyle(el, '::before');
    const after = () => win.getComputedStyle(el, '::after');
    expect(before().content).to.equal('"Loading the chat…"');
    expect(after().visibility).to.equal('hidden');
    expect(el.getBoundingClientRect().height).to.equal(460);

    // The switch to "unavailable" is a delayed animation: run it to its end instead of waiting.
    for (const a of win.document.getAnimations()) a.finish();
    expect(before().visibility).to.equal('hidden');
    expect(after().visibility).to.equal('visible');
    expect(after().content).to.include('unavailable');

    const FrameElement = (win as Window & typeof globalThis).HTMLElement;
    win.customElements.define('chat-room', class extends FrameElement {});
    expect(before().content).to.equal('none');
  });
});
