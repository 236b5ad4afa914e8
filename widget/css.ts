/**
 * Stylesheet text as a tagged template, so the build minifies it like lit's
 * css`` (rollup.config.mjs matches the `css` tag), without lit's CSSResult
 * machinery: the loader and the view adopt constructable sheets themselves.
 * Interpolated values are our own constants, never page or visitor text; the
 * text is taken raw (`String.raw`), as CSS wants its own backslash escapes.
 */
export const css: (strings: TemplateStringsArray, ...values: (string | number)[]) => string = String.raw;

/** A constructable stylesheet: allowed under a `style-src` without 'unsafe-inline', unlike a <style> element. */
export function sheet(text: string): CSSStyleSheet {
  const s = new CSSStyleSheet();
  s.replaceSync(text);
  return s;
}
