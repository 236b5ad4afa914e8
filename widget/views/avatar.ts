/**
 * A user's avatar: their `avatar` URL (https only) as an image of fixed size,
 * over their initials on a colour derived from their id, which show when
 * there is no URL or the image fails. The hue is set through the CSSOM
 * (`.style`), which a page's CSP allows where a style attribute is not.
 */
import { html, nothing } from 'lit/html.js';
import type { UserInfo } from '../../protocol/index.js';

/** The avatar URL when it is https with a host, else null: nothing else is ever loaded. */
export function avatarUrl(user: UserInfo): string | null {
  if (typeof user.avatar !== 'string') return null;
  try {
    const url = new URL(user.avatar);
    return url.protocol === 'https:' && url.hostname ? url.href : null;
  } catch {
    return null;
  }
}

/** A stable hue (0–359) from a user id: FNV-1a over its UTF-16 units. */
export function hueOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 360;
}

/** Up to two initials: the first character of the first two words ("Ada Lovelace" → "AL", "小明" → "小"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0]!.toUpperCase());
  return letters.join('') || '?';
}

/** The avatar (part `avatar`); `large` in the author card. Decorative: the name is always next to it. */
export function renderAvatar(user: UserInfo, large = false) {
  const src = avatarUrl(user);
  return html`<span
    part="avatar"
    class="avatar ${large ? 'large' : ''}"
    .style=${`--_hue:${hueOf(user.id)}`}
    aria-hidden="true"
    >${initials(user.name)}${src
      ? html`<img
          src=${src}
          alt=""
          loading="lazy"
          decoding="async"
          referrerpolicy="no-referrer"
          @error=${(e: Event) => ((e.currentTarget as HTMLImageElement).hidden = true)}
        />`
      : nothing}</span
  >`;
}
