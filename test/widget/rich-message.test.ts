/**
 * Rich messages as the timeline renders them (real Chromium, fixture
 * messages, no server): formatting makes only its own elements and shows
 * everything else literally, avatars, reactions, quotes, the edited marker,
 * mentions, actions and the author card.
 */
import { expect } from '@esm-bundle/chai';
import { QUICK_REACTIONS, type ChatMessage, type ReplyQuote, type UserInfo } from '../../protocol/index.js';
import { hueOf } from '../../widget/views/avatar.js';
import { afterFailedImageLoad } from './helpers.js';
import { alice, bob, message, renderMessages, type Rendered } from './rich-fixtures.js';

/** The elements formatting may make inside a text. */
const ALLOWED = new Set(['STRONG', 'EM', 'CODE', 'PRE', 'A', 'BR', 'SPAN']);

const HOSTILE = [
  '**bold _nested_ and `code`** _it **alic** ok_',
  '**unclosed _also `open',
  '***x*** __y__ ``',
  '[click](javascript:alert(1)) javascript:alert(1) JAVASCRIPT:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg== data:image/svg+xml,<svg onload=alert(1)>',
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 1">',
  '**<img src=x onerror="window.__pwned = 1">**',
  '`<b>bold</b>` ```\n<iframe src="javascript:alert(1)"></iframe>\n```',
  '<a href="https://evil.example" onclick="window.__pwned = 1">x</a>',
  '&lt;b&gt; &amp; &#60;script&#62;',
  'https://ok.example/?q=<script>',
  '<@g_unknown> <@u_ghost>',
];

declare global {
  interface Window {
    __pwned?: number;
  }
}

let view: Rendered | undefined;
afterEach(() => {
  view?.remove();
  view = undefined;
});

const textOf = (el: HTMLElement) => el.querySelector<HTMLElement>('[part~="text"]')!;

describe('rich messages: formatting', () => {
  it('renders bold, italic, code, code blocks, links, line breaks and mentions as their elements', async () => {
    const m = message('**b** _i_ `c`\nnext https://a.example/x <@u_bob> <@g_carol> <@erased> <@g_nobody>\n```\nblock\n```', {
      mentions: [bob, { id: 'g_carol', name: 'Carol', kind: 'guest' }],
    });
    view = await renderMessages([m]);
    const text = textOf(view.el(m.id));
    expect(text.querySelector('strong')!.textContent).to.equal('b');
    expect(text.querySelector('em')!.textContent).to.equal('i');
    expect(text.querySelector('code')!.textContent).to.equal('c');
    expect(text.querySelector('pre')!.textContent).to.equal('block');
    expect(text.querySelectorAll('br')).to.have.length(1);
    const a = text.querySelector('a')!;
    expect(a.href).to.equal('https://a.example/x');
    expect(a.rel).to.contain('noopener');
    const mentions = [...text.querySelectorAll('[part~="mention"]')].map((s) => s.textContent);
    expect(mentions).to.deep.equal(['@Bob', '@Carol', '@deleted user']);
    // The reader's own mention is marked, an unknown id stays as typed.
    expect(text.querySelector('[part~="mention-me"]')!.textContent).to.equal('@Bob');
    expect(text.textContent).to.contain('<@g_nobody>');
    // A message that mentions the reader is highlighted.
    expect(view.el(m.id).getAttribute('part')).to.contain('mentioned');
    expect(getComputedStyle(view.el(m.id)).backgroundColor).to.not.equal('rgba(0, 0, 0, 0)');
  });

  it('shows a hostile corpus literally: only formatting elements, only http(s) links, no handler runs', async () => {
    const messages = HOSTILE.map((text) => message(text));
    view = await renderMessages(messages);
    await afterFailedImageLoad();
    expect(window.__pwned).to.equal(undefined);
    for (const m of messages) {
      const text = textOf(view.el(m.id));
      for (const el of text.querySelectorAll('*')) {
        expect(ALLOWED.has(el.tagName), `${el.tagName} in ${m.text}`).to.equal(true);
        for (const attr of el.attributes) expect(attr.name.startsWith('on'), `${attr.name} in ${m.text}`).to.equal(false);
      }
      for (const a of text.querySelectorAll('a')) expect(a.protocol, a.href).to.match(/^https?:$/);
      // Every character typed is on screen except the markers formatting took.
      const shown = text.textContent!.replace(/\s/g, '');
      const typed = m.text.replace(/\*\*|_|`|\s/g, '');
      expect(shown.replace(/\*\*|_|`/g, ''), m.text).to.equal(typed);
    }
    const scriptText = textOf(view.el(messages[5]!.id));
    expect(scriptText.textContent).to.equal('<script>window.__pwned = 1</script>');
    expect(scriptText.children).to.have.length(0);
    expect(textOf(view.el(messages[4]!.id)).querySelector('a')).to.equal(null);
  });

  it('folds a huge code block like a long text', async () => {
    const m = message(`\`\`\`\n${Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(50)}`).join('\n')}\n\`\`\``);
    view = await renderMessages([m]);
    const text = textOf(view.el(m.id));
    expect(text.classList.contains('folded')).to.equal(true);
    expect(text.querySelector('pre')).to.not.equal(null);
    expect(text.clientHeight).to.be.below(200);
    expect(text.scrollHeight).to.be.above(text.clientHeight);
  });
});

describe('rich messages: avatars', () => {
  it('shows an https avatar as a fixed-size lazy image without a referrer, and initials otherwise', async () => {
    const pic = 'https://127.0.0.1:1/avatar.png';
    const messages = [
      message('a', { from: { id: 'u_pic', name: 'Pic Ture', kind: 'user', avatar: pic } }),
      message('b', { from: { id: 'u_http', name: 'Plain Http', kind: 'user', avatar: 'http://a.example/x.png' } }),
      message('c', { from: { id: 'u_js', name: 'js', kind: 'user', avatar: 'javascript:alert(1)' } }),
      message('d', { from: { id: 'u_data', name: '小明', kind: 'user', avatar: 'data:image/png;base64,AAAA' } }),
      message('e', { from: alice }),
    ];
    view = await renderMessages(messages);
    const avatar = (m: ChatMessage) => view!.el(m.id).querySelector<HTMLElement>('[part~="avatar"]')!;
    const img = avatar(messages[0]!).querySelector('img')!;
    expect(img.getAttribute('src')).to.equal(pic);
    expect(img.getAttribute('loading')).to.equal('lazy');
    expect(img.getAttribute('referrerpolicy')).to.equal('no-referrer');
    expect(img.getAttribute('alt')).to.equal('');
    for (const m of messages.slice(1)) expect(avatar(m).querySelector('img'), m.from.avatar).to.equal(null);
    expect(avatar(messages[1]!).textContent!.trim()).to.equal('PH');
    expect(avatar(messages[3]!).textContent!.trim()).to.equal('小');
    expect(avatar(messages[4]!).textContent!.trim()).to.equal('AL');
    // Fixed size, before and after the image fails (it can't load): the initials show then.
    const box = avatar(messages[0]!).getBoundingClientRect();
    expect([box.width, box.height]).to.deep.equal([28, 28]);
    await new Promise((resolve) => (img.complete ? resolve(null) : img.addEventListener('error', resolve, { once: true })));
    expect(img.hidden).to.equal(true);
    expect(avatar(messages[0]!).getBoundingClientRect().width).to.equal(28);
    // The colour comes from the id: stable, and different ids mostly differ.
    expect(hueOf('g_alice')).to.equal(hueOf('g_alice'));
    expect(new Set(['g_a', 'g_b', 'g_c', 'u_d', 'u_e'].map(hueOf)).size).to.be.above(3);
  });

  it('only on the first message of a group, and not on one’s own', async () => {
    const first = message('one');
    const own = message('mine', { from: bob });
    view = await renderMessages([first, own]);
    expect(view.el(first.id).querySelector('[part~="avatar"]')).to.not.equal(null);
    expect(view.el(own.id).querySelector('[part~="avatar"]')).to.equal(null);
  });
});

describe('rich messages: reactions', () => {
  it('shows a chip per reaction, pressed for the reader’s, naming who reacted, toggling through the hook', async () => {
    const users: UserInfo[] = Array.from({ length: 10 }, (_, i) => ({ id: `g_${i}`, name: `User ${i}`, kind: 'guest' }));
    const m = message('hello', {
      reactions: [
        { emoji: '👍', count: 2, users: [alice, bob] },
        { emoji: '🎉', count: 13, users },
      ],
      myReactions: ['👍'],
    });
    const calls: [string, string, boolean][] = [];
    view = await renderMessages([m], { react: (id, emoji, on) => calls.push([id, emoji, on]) });
    const chips = [...view.el(m.id).querySelectorAll<HTMLButtonElement>('[part~="reaction"]')];
    expect(chips).to.have.length(2);
    expect(chips.map((c) => c.getAttribute('aria-pressed'))).to.deep.equal(['true', 'false']);
    expect(chips[0]!.getAttribute('part')).to.contain('reaction-mine');
    expect(chips.map((c) => c.textContent!.replace(/\s/g, ''))).to.deep.equal(['👍2', '🎉13']);
    expect(chips[0]!.title).to.equal('Alice Liddell, Bob');
    expect(chips[0]!.getAttribute('aria-label')).to.equal('👍 2: Alice Liddell, Bob');
    expect(chips[1]!.title).to.match(/^User 0, User 1, .*User 9 and 3 more$/);
    chips[0]!.click();
    chips[1]!.click();
    expect(calls).to.deep.equal([
      [m.id, '👍', false],
      [m.id, '🎉', true],
    ]);
  });

  it('opens the six quick reactions and the full picker from the add-reaction button', async () => {
    const m = message('hello', { myReactions: ['😂'] });
    const calls: [string, string, boolean][] = [];
    const picked: string[] = [];
    view = await renderMessages([m], {
      react: (id, emoji, on) => calls.push([id, emoji, on]),
      pickEmoji: (id, anchor) => picked.push(`${id}:${anchor.getAttribute('part')}`),
    });
    const add = view.el(m.id).querySelector<HTMLButtonElement>('[part~="react"]')!;
    add.click();
    await view.ctx.host.updateComplete;
    const quick = view.el(m.id).querySelector<HTMLElement>('[part~="quick-reactions"]')!;
    const emoji = [...quick.querySelectorAll('button:not([part~="more-emoji"])')].map((b) => b.textContent!.trim());
    expect(emoji).to.deep.equal([...QUICK_REACTIONS]);
    expect(add.getAttribute('aria-expanded')).to.equal('true');
    expect(view.root.activeElement?.textContent?.trim(), 'focus moves into the row').to.equal('👍');
    (quick.querySelectorAll('button')[2] as HTMLButtonElement).click();
    await view.ctx.host.updateComplete;
    expect(calls).to.deep.equal([[m.id, '😂', false]]);
    expect(view.el(m.id).querySelector('[part~="quick-reactions"]'), 'closed after a choice').to.equal(null);
    add.click();
    await view.ctx.host.updateComplete;
    view.el(m.id).querySelector<HTMLButtonElement>('[part~="more-emoji"]')!.click();
    expect(picked).to.deep.equal([`${m.id}:react`]);
  });
});

describe('rich messages: quotes, edits and actions', () => {
  it('quotes the original as plain text, "Deleted message" once deleted, and jumps to it', async () => {
    const original = message('**the** _original_ text');
    const quote: ReplyQuote = { id: original.id, seq: original.seq, from: alice, excerpt: original.text };
    const reply = message('an answer', { from: bob, replyTo: quote });
    const gone = message('another', { replyTo: { id: 'mx', seq: 1, from: alice, excerpt: '', deleted: true } });
    const revealed: string[] = [];
    view = await renderMessages([original, reply, gone], {
      reveal: (q) => {
        revealed.push(q.id);
        return Promise.resolve(true);
      },
    });
    const q = view.el(reply.id).querySelector<HTMLButtonElement>('[part~="quote"]')!;
    expect(q.querySelector('.quote-author')!.textContent).to.equal('Alice Liddell');
    expect(q.querySelector('.quote-text')!.textContent).to.equal('the original text');
    expect(q.querySelector('strong, em')).to.equal(null);
    const dq = view.el(gone.id).querySelector<HTMLElement>('[part~="quote"]')!;
    expect(dq.getAttribute('part')).to.contain('quote-deleted');
    expect(dq.querySelector('.quote-text')!.textContent).to.equal('Deleted message');
    q.click();
    const target = view.el(original.id);
    for (let i = 0; i < 50 && !target.classList.contains('highlight'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(revealed).to.deep.equal([original.id]);
    expect(target.getAttribute('part')).to.contain('highlight');
    expect(getComputedStyle(target).animationName).to.equal('chat-room-highlight');
  });

  it('marks an edited message with the edit time', async () => {
    const edited = message('fixed', { editedAt: Date.now() });
    const plain = message('as sent');
    view = await renderMessages([edited, plain]);
    const mark = view.el(edited.id).querySelector<HTMLElement>('[part~="edited"]')!;
    expect(mark.textContent).to.equal('edited');
    expect(mark.title).to.match(/^Edited /);
    expect(view.el(plain.id).querySelector('[part~="edited"]')).to.equal(null);
  });

  it('offers Reply and React on every message, Edit on one’s own within the window, Delete on one’s own (moderators: any)', async () => {
    const fresh = message('mine, new', { from: bob });
    const old = message('mine, old', { from: bob, at: Date.now() - 16 * 60_000 });
    const other = message('theirs');
    const deleted = message('', { deleted: true });
    const called: string[] = [];
    const hooks = {
      reply: (m: ChatMessage) => called.push(`reply ${m.id}`),
      react: () => undefined,
      edit: (m: ChatMessage) => called.push(`edit ${m.id}`),
      deleteOwn: (id: string) => called.push(`delete ${id}`),
    };
    view = await renderMessages([fresh, old, other, deleted], hooks);
    const actions = (m: ChatMessage) =>
      [...view!.el(m.id).querySelectorAll('[part~="actions"] button')].map((b) => b.getAttribute('part'));
    expect(actions(fresh)).to.deep.equal(['reply', 'react', 'edit', 'delete']);
    expect(actions(old)).to.deep.equal(['reply', 'react', 'delete']);
    expect(actions(other)).to.deep.equal(['reply', 'react']);
    expect(view.el(deleted.id).querySelector('[part~="actions"]')).to.equal(null);
    // Hidden until hover or focus; the touch menu button shows the toolbar.
    const toolbar = view.el(other.id).querySelector<HTMLElement>('[part~="actions"]')!;
    expect(getComputedStyle(toolbar).opacity).to.equal('0');
    toolbar.querySelector('button')!.focus();
    expect(getComputedStyle(toolbar).opacity, 'shown on focus').to.equal('1');
    toolbar.querySelector('button')!.blur();
    const menu = view.el(other.id).querySelector<HTMLButtonElement>('[part~="actions-menu"]')!;
    menu.click();
    await view.ctx.host.updateComplete;
    expect(menu.getAttribute('aria-expanded')).to.equal('true');
    expect(getComputedStyle(toolbar).opacity, 'shown from the menu').to.equal('1');
    for (const part of ['reply', 'edit', 'delete']) view.el(fresh.id).querySelector<HTMLButtonElement>(`[part~="${part}"]`)!.click();
    expect(called).to.deep.equal([`reply ${fresh.id}`, `edit ${fresh.id}`, `delete ${fresh.id}`]);
    view.remove();
    // A moderator deletes others' messages through `remove`.
    const removed: string[] = [];
    view = await renderMessages([other], { remove: (id) => removed.push(id) });
    view.el(other.id).querySelector<HTMLButtonElement>('[part~="delete"]')!.click();
    expect(removed).to.deep.equal([other.id]);
    // Without hooks a message has no actions at all.
    view.remove();
    view = await renderMessages([other]);
    expect(view.el(other.id).querySelector('[part~="actions"], [part~="actions-menu"]')).to.equal(null);
  });

  it('opens the author card from the name or the avatar, with Private message and Block', async () => {
    const m = message('hi');
    const dms: string[] = [];
    const blocks: string[] = [];
    view = await renderMessages([m], { openDirect: (u) => dms.push(u.id), block: (u) => blocks.push(u.id) });
    const author = view.el(m.id).querySelector<HTMLButtonElement>('[part~="author"]')!;
    author.click();
    await view.ctx.host.updateComplete;
    let card = view.el(m.id).querySelector<HTMLElement>('[part~="author-card"]')!;
    expect(card.getAttribute('role')).to.equal('dialog');
    expect(card.textContent).to.contain('Alice Liddell');
    expect(card.textContent).to.contain('Guest');
    expect(author.getAttribute('aria-expanded')).to.equal('true');
    card.querySelector<HTMLButtonElement>('[part~="card-dm"]')!.click();
    expect(dms).to.deep.equal([alice.id]);
    card.querySelector<HTMLButtonElement>('[part~="card-block"]')!.click();
    await view.ctx.host.updateComplete;
    expect(blocks).to.deep.equal([alice.id]);
    expect(view.el(m.id).querySelector('[part~="author-card"]'), 'closed after blocking').to.equal(null);
    // The avatar opens it too; Escape closes it and focus goes back to the name.
    view.el(m.id).querySelector<HTMLButtonElement>('.avatar-button')!.click();
    await view.ctx.host.updateComplete;
    card = view.el(m.id).querySelector<HTMLElement>('[part~="author-card"]')!;
    card.querySelector('button')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await view.ctx.host.updateComplete;
    expect(view.el(m.id).querySelector('[part~="author-card"]')).to.equal(null);
    expect(view.root.activeElement).to.equal(author);
    // A press outside closes it; one inside does not.
    author.click();
    await view.ctx.host.updateComplete;
    const inside = view.el(m.id).querySelector<HTMLElement>('.card-who')!;
    inside.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    await view.ctx.host.updateComplete;
    expect(view.el(m.id).querySelector('[part~="author-card"]'), 'a press inside').to.not.equal(null);
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    await view.ctx.host.updateComplete;
    expect(view.el(m.id).querySelector('[part~="author-card"]'), 'a press outside').to.equal(null);
  });
});
