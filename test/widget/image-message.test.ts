/**
 * Image messages as the rich renderers draw them, without a server: the
 * thumbnail with its size reserved before it loads, its alt text and
 * caption, a quote of an image, and the viewer (Escape, close button,
 * backdrop; focus kept in it and given back), on a phone too.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { ImageInfo } from '../../protocol/index.js';
import { alice, bob, message, renderMessages, type Rendered } from './rich-fixtures.js';
import { waitFor } from './helpers.js';

/** A PNG drawn on a canvas, as an object URL. */
async function drawn(width: number, height: number): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#3a7';
  g.fillRect(0, 0, width, height);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return URL.createObjectURL(blob);
}

function imageInfo(url: string, thumbUrl: string, extra: Partial<ImageInfo> = {}): ImageInfo {
  return { id: 'a'.repeat(64), url, thumbUrl, type: 'image/png', width: 1200, height: 800, bytes: 1000, thumbWidth: 240, thumbHeight: 160, ...extra };
}

const viewer = (r: Rendered) => r.root.querySelector<HTMLDialogElement>('[part~="image-viewer"]');

describe('image messages', function (this: { timeout(ms: number): void }) {
  this.timeout(20_000);
  let rendered: Rendered | undefined;
  afterEach(async () => {
    rendered?.remove();
    rendered = undefined;
    await setViewport({ width: 800, height: 600 });
  });

  it('reserves the thumbnail’s size before it loads, with the caption as alt text and below it', async () => {
    // A thumbnail URL that never answers: the box must have its size anyway.
    const never = 'http://127.0.0.1:9/never.png';
    const captioned = message('a **green** field', { image: imageInfo(never, never) });
    const bare = message('', { image: imageInfo(never, never, { thumbWidth: 100, thumbHeight: 300 }) });
    rendered = await renderMessages([captioned, bare]);
    const img = rendered.el(captioned.id).querySelector<HTMLImageElement>('img[part~="image"]')!;
    expect(img.getAttribute('width')).to.equal('240');
    expect(img.getAttribute('height')).to.equal('160');
    expect(img.getAttribute('loading')).to.equal('lazy');
    expect(img.alt).to.equal('a **green** field');
    expect(img.complete && img.naturalWidth > 0, 'not loaded').to.equal(false);
    const box = img.getBoundingClientRect();
    expect([Math.round(box.width), Math.round(box.height)]).to.deep.equal([240, 160]);
    // The caption is formatted like any text, under the image.
    const text = rendered.el(captioned.id).querySelector('[part~="text"]')!;
    expect(text.querySelector('strong')?.textContent).to.equal('green');
    expect(text.getBoundingClientRect().top).to.be.at.least(box.bottom - 1);

    const bareImg = rendered.el(bare.id).querySelector<HTMLImageElement>('img[part~="image"]')!;
    expect(bareImg.alt).to.equal('Image');
    expect(rendered.el(bare.id).querySelector('[part~="text"]'), 'no empty bubble').to.equal(null);
    const tall = bareImg.getBoundingClientRect();
    expect([Math.round(tall.width), Math.round(tall.height)]).to.deep.equal([100, 300]);
  });

  it('resolves the image paths against the chat server', async () => {
    const m = message('', { image: imageInfo('/media/full.png', '/media/thumb.png') });
    rendered = await renderMessages([m], { media: (path) => new URL(path, 'http://chat.example/').href });
    expect(rendered.el(m.id).querySelector<HTMLImageElement>('img[part~="image"]')!.src).to.equal('http://chat.example/media/thumb.png');
  });

  it('a quote of an image with no caption says Image', async () => {
    const original = message('', { image: imageInfo('http://127.0.0.1:9/a.png', 'http://127.0.0.1:9/a.png') });
    const reply = message('nice', { from: bob, replyTo: { id: original.id, seq: original.seq, from: alice, excerpt: '', image: true } });
    rendered = await renderMessages([original, reply], {}, 'g_reader');
    const quote = rendered.el(reply.id).querySelector('[part~="quote"]')!;
    expect(quote.textContent).to.contain('Image');
    expect(quote.getAttribute('aria-label')).to.equal('Reply to Alice Liddell: Image');
  });

  it('the viewer opens on a click, keeps focus, and closes by Escape, its button or the backdrop, giving focus back', async () => {
    const full = await drawn(1200, 800);
    const thumb = await drawn(240, 160);
    const m = message('the field', { image: imageInfo(full, thumb) });
    rendered = await renderMessages([m]);
    const button = rendered.el(m.id).querySelector<HTMLButtonElement>('.image-button')!;
    expect(button.getAttribute('aria-label')).to.equal('Open image: the field');

    // Escape.
    button.focus();
    button.click();
    let dialog = await waitFor(() => viewer(rendered!)?.open && viewer(rendered!), 'the viewer');
    const big = dialog.querySelector('img')!;
    expect(big.src).to.equal(full);
    expect(big.alt).to.equal('the field');
    const close = dialog.querySelector<HTMLButtonElement>('[part~="image-viewer-close"]')!;
    expect(rendered.root.activeElement).to.equal(close);
    await sendKeys({ press: 'Tab' });
    expect(rendered.root.activeElement, 'focus stays in the viewer').to.equal(close);
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !viewer(rendered!), 'closed by Escape');
    expect(rendered.root.activeElement).to.equal(button);

    // The close button.
    button.click();
    dialog = await waitFor(() => viewer(rendered!)?.open && viewer(rendered!), 'the viewer again');
    dialog.querySelector<HTMLButtonElement>('[part~="image-viewer-close"]')!.click();
    await waitFor(() => !viewer(rendered!), 'closed by its button');
    expect(rendered.root.activeElement).to.equal(button);

    // A click on the backdrop (the dialog around the image), not on the image.
    button.click();
    dialog = await waitFor(() => viewer(rendered!)?.open && viewer(rendered!), 'the viewer once more');
    dialog.querySelector('img')!.click();
    expect(viewer(rendered)?.open, 'a click on the image keeps it').to.equal(true);
    dialog.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await waitFor(() => !viewer(rendered!), 'closed by the backdrop');
    expect(rendered.root.activeElement).to.equal(button);
  });

  it('the viewer fits a phone screen', async () => {
    await setViewport({ width: 375, height: 667 });
    const full = await drawn(1200, 800);
    const m = message('', { image: imageInfo(full, full) });
    rendered = await renderMessages([m]);
    rendered.el(m.id).querySelector<HTMLButtonElement>('.image-button')!.click();
    const dialog = await waitFor(() => viewer(rendered!)?.open && viewer(rendered!), 'the viewer');
    const img = dialog.querySelector('img')!;
    await waitFor(() => img.complete && img.naturalWidth > 0, 'the full image loaded');
    const box = img.getBoundingClientRect();
    expect(box.left).to.be.at.least(0);
    expect(box.right).to.be.at.most(375);
    expect(box.bottom).to.be.at.most(667);
    expect(box.width / box.height).to.be.closeTo(1.5, 0.02);
    const close = dialog.querySelector<HTMLButtonElement>('[part~="image-viewer-close"]')!.getBoundingClientRect();
    expect(close.width).to.be.at.least(44);
    expect(close.right).to.be.at.most(375);
    expect(close.top).to.be.at.least(0);
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !viewer(rendered!), 'closed');
  });
});
