/**
 * The words of the room's activity lines: notices ("Alice joined", "12 people
 * joined, 3 people left", "Bob is now Alice") and the typing line. Loaded the
 * first time the room has one to show (many visitors never see one), with
 * its own strings in every UI language.
 */
import type { UserId } from '../../protocol/index.js';
import type { Notice, Typing } from '../client/room-conversation.js';
import { fill } from '../i18n.js';
import { uiLanguage, type UiLanguage } from '../lang.js';

const en = {
  joined: '{name} joined',
  left: '{name} left',
  someoneJoined: 'Someone joined',
  someoneLeft: 'Someone left',
  peopleJoined: '{count} people joined',
  peopleLeft: '{count} people left',
  and: ', ',
  renamed: '{old} is now {name}',
  typing1: '{a} is typing…',
  typing2: '{a} and {b} are typing…',
  typingMany: 'Several people are typing…',
};

type Key = keyof typeof en;

const strings: Record<UiLanguage, Record<Key, string>> = {
  en,
  zh: {
    joined: '{name} 加入了',
    left: '{name} 离开了',
    someoneJoined: '有人加入了',
    someoneLeft: '有人离开了',
    peopleJoined: '{count} 人加入了',
    peopleLeft: '{count} 人离开了',
    and: '，',
    renamed: '{old} 改名为 {name}',
    typing1: '{a} 正在输入…',
    typing2: '{a} 和 {b} 正在输入…',
    typingMany: '多人正在输入…',
  },
};

/** The string for `key` in `lang`, `{param}` placeholders filled. */
export function say(lang: string, key: Key, params?: Record<string, string | number>): string {
  return fill(strings[uiLanguage(lang)][key], params);
}

/** "Alice joined", "Bob is now Alice"; a summary "12 people joined, 3 people left" (or one of the two). */
export function noticeText(n: Notice, lang: string): string {
  if (n.kind === 'rename') return say(lang, 'renamed', { old: n.previousName, name: n.user.name });
  if (n.kind !== 'summary') return say(lang, n.kind === 'join' ? 'joined' : 'left', { name: n.user.name });
  const part = (count: number, one: Key, many: Key) => (count ? [say(lang, count > 1 ? many : one, { count })] : []);
  return [...part(n.joined, 'someoneJoined', 'peopleJoined'), ...part(n.left, 'someoneLeft', 'peopleLeft')].join(say(lang, 'and'));
}

/**
 * "Alice is typing…", "Alice and Bob are typing…"; beyond two, or when the
 * names are not all there (a big room's summary names a few), "Several
 * people are typing…". The viewer is never among them: a big room's summary
 * may name them, and counts them then.
 */
export function typingText({ count, users }: Typing, lang: string, me: UserId | undefined): string {
  const others = users.filter((u) => u.id !== me);
  const [a, b] = others;
  count -= users.length - others.length;
  if (count < 1) return '';
  if (count === 1 && a) return say(lang, 'typing1', { a: a.name });
  if (count === 2 && a && b) return say(lang, 'typing2', { a: a.name, b: b.name });
  return say(lang, 'typingMany');
}
