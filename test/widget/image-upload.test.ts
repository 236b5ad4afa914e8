/**
 * Images through the real server between two `<chat-room>` elements (two
 * guests: one straight to the server, one through a proxy): `sendImage()`
 * and its thumbnail at the other element with its size reserved, an image
 * pasted into the composer, an upload cancelled half-way (no message), a
 * file that only says it is a PNG (refused, the error shown under the
 * input), and the size check against the ticket before anything is sent.
 * Test images are drawn on a canvas.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatMessage } from '../../protocol/index.js';
import type { ChatRoom } from '../../widget/index.js';
import type { ChatRoomError } from '../../widget/client/errors.js';
import { $, cleanup, connected, freshGuest, mount, uniqueName, uniqueRoom, waitFor } from './helpers.js';
import { openProxy } from './proxy.js';

const SIZE = 'display:block;width:420px;height:480px';

/** A PNG drawn on a canvas: stripes, or (`noise`) random pixels that do not compress. */
async function png(width: number, height: number, noise = false): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d')!;
  if (noise) {
    const data = g.createImageData(width, height);
    const words = new Uint32Array(data.data.buffer);
    for (let i = 0; i < words.length; i++) words[i] = (Math.random() * 0x1_0000_0000) | 0xff00_0000;
    g.putImageData(data, 0, 0);
  } else {
    for (let x = 0; x < width; x += 20) {
      g.fillStyle = x % 40 ? '#e33' : '#36c';
      g.fillRect(x, 0, 20, height);
    }
  }
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
}

/** Two guests in one room: Ann on the server, Bob through a proxy (another guest). */
async function pair(prefix: string, annAttrs: Record<string, string> = {}): Promise<{ ann: ChatRoom; bob: ChatRoom }> {
  const room = uniqueRoom(prefix);
  const proxy = await openProxy();
  await proxy.up();
  freshGuest(proxy.url);
  const ann = await mount({ room, nickname: uniqueName('Ann'), style: SIZE, ...annAttrs });
  const bob = await mount({ room, nickname: uniqueName('Bob'), server: proxy.url, style: SIZE });
  await Promise.all([connected(ann), connected(bob)]);
  await waitFor(() => ann.user && bob.user && ann.user.id !== bob.user.id, 'two guests');
  return { ann, bob };
}

const input = (el: ChatRoom) => $(el, '[part="input"]') as HTMLTextAreaElement;
const status = (el: ChatRoom) => $(el, '[part="composer-status"]')!;
const images = (el: ChatRoom): ChatMessage[] => el.messages.filter((m) => m.image);

/** The attach button, once the part that renders it is in. */
const attach = (el: ChatRoom) => waitFor(() => $(el, '[part~="attach"]'), 'the attach button', 10_000);

describe('image uploads', function (this: { timeout(ms: number): void }) {
  this.timeout(60_000);
  afterEach(cleanup);

  it('sendImage() resolves with the stored message; the other element shows the thumbnail with its size reserved', async () => {
    const { ann, bob } = await pair('img-send');
    const sent = await ann.sendImage(await png(800, 400), 'stripes **here**');
    expect(sent.text).to.equal('stripes **here**');
    expect(sent.image).to.include({ width: 800, height: 400, type: 'image/png' });
    expect(Math.max(sent.image!.thumbWidth, sent.image!.thumbHeight)).to.be.at.most(480);

    const held = await waitFor(() => bob.messages.find((m) => m.id === sent.id), 'the image at Bob', 10_000);
    expect(held.image).to.deep.equal(sent.image);
    const img = await waitFor(() => $(bob, `[data-id="${sent.id}"] img[part~="image"]`) as HTMLImageElement | null, 'the thumbnail', 10_000);
    expect(img.getAttribute('width')).to.equal(String(sent.image!.thumbWidth));
    expect(img.getAttribute('height')).to.equal(String(sent.image!.thumbHeight));
    // Bob talks to the server through the proxy: the path is resolved against his element's server.
    expect(img.src).to.equal(new URL(sent.image!.thumbUrl, bob.server).href);
    expect(img.alt).to.equal('stripes **here**');
    // Its box has its shape before and after the bytes arrive: nothing moves when it loads.
    const before = img.getBoundingClientRect();
    await waitFor(() => img.complete && img.naturalWidth > 0, 'the thumbnail loaded', 10_000);
    const after = img.getBoundingClientRect();
    expect([after.width, after.height]).to.deep.equal([before.width, before.height]);
    expect(before.width / before.height).to.be.closeTo(sent.image!.thumbWidth / sent.image!.thumbHeight, 0.02);
    expect($(bob, `[data-id="${sent.id}"] [part~="text"] strong`)?.textContent).to.equal('here');
  });

  it('an image pasted into the composer is sent with the typed text as its caption', async () => {
    const { ann, bob } = await pair('img-paste');
    input(ann).focus();
    await sendKeys({ type: 'pasted picture' });
    await attach(ann);
    const data = new DataTransfer();
    data.items.add(new File([await png(300, 200)], 'clip.png', { type: 'image/png' }));
    input(ann).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true, cancelable: true }));
    const row = await waitFor(() => $(ann, '[part~="upload"]'), 'the upload row');
    expect(input(ann).value, 'the caption left the input').to.equal('');
    // The row sits above the input, which keeps its line with the attach, emoji and send buttons.
    const box = input(ann).getBoundingClientRect();
    expect(row.getBoundingClientRect().bottom).to.be.at.most(box.top + 1);
    const button = $(ann, '[part~="attach"]')!.getBoundingClientRect();
    expect(button.top).to.be.at.least(box.top - 20);
    expect(button.left).to.be.at.least(box.right);
    const got = await waitFor(() => images(bob).find((m) => m.text === 'pasted picture'), 'the pasted image at Bob', 15_000);
    expect(got.image).to.include({ width: 300, height: 200 });
    await waitFor(() => !$(ann, '[part~="upload"]'), 'the upload row gone');
  });

  it('an image dropped on the chat is sent; a dropped text file is left to the browser', async () => {
    const { ann, bob } = await pair('img-drop');
    await attach(ann);
    const list = $(ann, '[part="messages"]')!;
    const text = new DataTransfer();
    text.items.add(new File(['notes'], 'notes.txt', { type: 'text/plain' }));
    const ignored = new DragEvent('drop', { dataTransfer: text, bubbles: true, composed: true, cancelable: true });
    list.dispatchEvent(ignored);
    expect(ignored.defaultPrevented, 'not an image: not taken').to.equal(false);
    const data = new DataTransfer();
    data.items.add(new File([await png(120, 90)], 'drop.png', { type: 'image/png' }));
    const over = new DragEvent('dragover', { dataTransfer: data, bubbles: true, composed: true, cancelable: true });
    list.dispatchEvent(over);
    expect(over.defaultPrevented, 'a file may be dropped').to.equal(true);
    const drop = new DragEvent('drop', { dataTransfer: data, bubbles: true, composed: true, cancelable: true });
    list.dispatchEvent(drop);
    expect(drop.defaultPrevented).to.equal(true);
    const got = await waitFor(() => images(bob)[0], 'the dropped image at Bob', 15_000);
    expect(got.image).to.include({ width: 120, height: 90 });
    expect(got.text).to.equal('');
    const img = await waitFor(() => $(bob, `[data-id="${got.id}"] img[part~="image"]`) as HTMLImageElement | null, 'its thumbnail', 10_000);
    expect(img.alt).to.equal('Image');

    // Replying to it: the bar says "Image" for the empty caption (the quote's renderer: image-message.test.ts).
    const reply = await waitFor(() => $(bob, `[data-id="${got.id}"] [part~="actions"] [part~="reply"]`) as HTMLButtonElement | null, 'Reply');
    reply.click();
    await waitFor(() => $(bob, '[part~="reply-bar-excerpt"]')?.textContent === 'Image', 'the reply bar says Image');
  });

  it('Cancel aborts the upload: no message is sent', async () => {
    const { ann, bob } = await pair('img-cancel');
    await attach(ann);
    // Random pixels do not compress: a PNG of several megabytes, which takes a while to upload and decode.
    const big = await png(1400, 1400, true);
    const data = new DataTransfer();
    data.items.add(new File([big], 'big.png', { type: 'image/png' }));
    input(ann).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true, cancelable: true }));
    const row = await waitFor(() => $(ann, '[part~="upload"]'), 'the upload row');
    const bar = row.querySelector('[part~="upload-progress"]')!;
    expect(bar.getAttribute('role')).to.equal('progressbar');
    expect(Number(bar.getAttribute('aria-valuenow'))).to.be.within(0, 100);
    (row.querySelector('[part~="upload-cancel"]') as HTMLButtonElement).click();
    await waitFor(() => !$(ann, '[part~="upload"]'), 'the upload row gone');
    // A later message arrives at Bob: had the image been sent, it would be there before it.
    await ann.send('after the cancel');
    await waitFor(() => bob.messages.some((m) => m.text === 'after the cancel'), 'the later message at Bob', 10_000);
    expect(images(bob)).to.deep.equal([]);
    expect(images(ann)).to.deep.equal([]);
    expect(status(ann).hidden, 'no error for a cancel').to.equal(true);
  });

  it('a file that is not an image is refused, with the error under the input (English and Chinese)', async () => {
    const { ann, bob } = await pair('img-refused');
    const fake = new File(['<html><body>not an image</body></html>'], 'fake.png', { type: 'image/png' });
    const refused = await ann.sendImage(fake).then(
      () => null,
      (e: ChatRoomError) => e,
    );
    expect(refused?.code).to.equal('image_invalid');

    // Through the attach button's file input.
    const chooser = (await attach(ann)).nextElementSibling as HTMLInputElement;
    expect(chooser.type).to.equal('file');
    expect(chooser.accept).to.equal('image/png,image/jpeg,image/webp,image/gif');
    const data = new DataTransfer();
    data.items.add(fake);
    chooser.files = data.files;
    chooser.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => status(ann).textContent?.includes('That file is not a PNG, JPEG, WebP or GIF image.'), 'the English error', 10_000);

    ann.setAttribute('lang', 'zh');
    await ann.updateComplete;
    const again = new DataTransfer();
    again.items.add(fake);
    chooser.files = again.files;
    chooser.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => status(ann).textContent?.includes('该文件不是 PNG、JPEG、WebP 或 GIF 图片。'), 'the Chinese error', 10_000);
    expect(images(bob)).to.deep.equal([]);
  });

  it('a file over the ticket’s maxBytes is refused before it is sent', async () => {
    const { ann } = await pair('img-too-large');
    const huge = new Blob([new Uint8Array(10 * 1024 * 1024 + 1)], { type: 'image/png' });
    const started = performance.now();
    const refused = await ann.sendImage(huge).then(
      () => null,
      (e: ChatRoomError) => e,
    );
    expect(refused?.code).to.equal('image_too_large');
    expect(refused?.message).to.match(/at most 10\.0 MB/);
    expect(performance.now() - started).to.be.below(3000);
  });
});
