/** Which UI language an element speaks (small: the loader needs it too, without the catalogues of widget/i18n.ts). */
export type UiLanguage = 'en' | 'zh';

/** Maps a BCP 47 tag to a supported UI language (`zh`, `zh-CN`, `zh-Hans-SG` → `zh`; anything else → `en`). */
export function uiLanguage(tag: string | null | undefined): UiLanguage {
  return /^zh\b/i.test(tag ?? '') ? 'zh' : 'en';
}

/**
 * The language of an element: its own `lang`, else the closest ancestor's
 * (crossing shadow roots), else `<html lang>`, else the browser's.
 */
export function resolveLang(el: Element): string {
  let node: Node | null = el;
  while (node) {
    if (node instanceof Element && node.getAttribute('lang')) return node.getAttribute('lang')!;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return navigator.language || 'en';
}
