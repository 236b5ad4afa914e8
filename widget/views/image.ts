/**
 * An image message's thumbnail, in the rich renderers' chunk: its size is
 * reserved by the width and height attributes before it loads (no layout
 * shift), and a click opens the full image in the viewer (views/image-viewer.ts,
 * loaded on first use).
 */
import { html } from 'lit/html.js';
import type { ChatMessage, ImageInfo } from '../../protocol/index.js';
import type { TimelineContext } from './message-list.js';
import { say } from './rich-strings.js';

/** A path on the chat server as a URL (as is without the view's resolver). */
function urlOf(path: string, ctx: TimelineContext): string {
  return ctx.media ? ctx.media(path) : path;
}

function open(e: Event, image: ImageInfo, alt: string, ctx: TimelineContext): void {
  const opener = e.currentTarget as HTMLElement;
  void import('./image-viewer.js').then(({ openImageViewer }) =>
    openImageViewer(opener, { url: urlOf(image.url, ctx), alt, width: image.width, height: image.height }, ctx.lang),
  );
}

/** The thumbnail (part `image`): a button opening the viewer. Its alt text is the caption, else "Image". */
export function renderImage(m: ChatMessage, image: ImageInfo, ctx: TimelineContext) {
  const alt = m.text.trim() || say(ctx.lang, 'image');
  return html`<button
    class="image-button"
    type="button"
    aria-label=${say(ctx.lang, 'openImage', { alt })}
    aria-haspopup="dialog"
    @click=${(e: Event) => open(e, image, alt, ctx)}
  >
    <img
      part="image"
      class="image"
      src=${urlOf(image.thumbUrl, ctx)}
      width=${image.thumbWidth}
      height=${image.thumbHeight}
      alt=${alt}
      loading="lazy"
      decoding="async"
    />
  </button>`;
}
