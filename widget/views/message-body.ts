/**
 * A message's text as Lit templates from its token tree (rich/markup.ts):
 * the only elements made are strong, em, code, pre, a (http/https), br and
 * the mention's span; every string goes in as text.
 */
import { html, type TemplateResult } from 'lit/html.js';
import type { ChatMessage, UserId, UserInfo } from '../../protocol/index.js';
import { parse, plainText, type Token } from '../rich/markup.js';
import { say } from './rich-strings.js';

/** Who the mentions of one text name, and who reads them. */
export interface MentionScope {
  lang: string;
  mentions?: readonly UserInfo[] | undefined;
  me?: UserId | undefined;
}

/** "@Name" for a known id, "@deleted user" for an erased one; undefined for an id the text does not resolve (shown literally). */
export function mentionName(id: string, scope: MentionScope): string | undefined {
  if (id === 'erased') return `@${say(scope.lang, 'deletedUser')}`;
  const user = scope.mentions?.find((u) => u.id === id);
  return user && `@${user.name}`;
}

function renderToken(k: Token, scope: MentionScope): TemplateResult | string {
  switch (k.t) {
    case 'text':
      return k.v;
    case 'br':
      return html`<br />`;
    case 'b':
      return html`<strong>${k.c.map((c) => renderToken(c, scope))}</strong>`;
    case 'i':
      return html`<em>${k.c.map((c) => renderToken(c, scope))}</em>`;
    case 'code':
      return html`<code part="code">${k.v}</code>`;
    case 'pre':
      return html`<pre part="code-block"><code>${k.v}</code></pre>`;
    case 'link':
      return html`<a href=${k.href} target="_blank" rel="noopener noreferrer nofollow">${k.v}</a>`;
    case 'mention': {
      const name = mentionName(k.id, scope);
      if (name === undefined) return k.raw;
      const mine = !!scope.me && k.id === scope.me;
      return html`<span part=${mine ? 'mention mention-me' : 'mention'} class="mention ${mine ? 'me' : ''}">${name}</span>`;
    }
  }
}

/** The formatted text. */
export function renderFormatted(text: string, scope: MentionScope): (TemplateResult | string)[] {
  return parse(text).map((k) => renderToken(k, scope));
}

/** The text without its markers, mentions by name: a quote's excerpt. */
export function plainExcerpt(text: string, scope: MentionScope): string {
  return plainText(parse(text), (id, raw) => mentionName(id, scope) ?? raw);
}

/** The message mentions its reader (by a token in its text that the server resolved). */
export function mentionsReader(m: ChatMessage, me: UserId | undefined): boolean {
  return !!me && !m.deleted && !!m.mentions?.some((u) => u.id === me) && m.text.includes(`<@${me}>`);
}
