/**
 * The composer's reply and edit modes, as the message actions start them: the
 * bar above the input, Escape and its cancel button, the edit's prefilled
 * input, and what reaches the connection layer's `send` / `edit` callbacks.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit/html.js';
import type { ChatMessage } from '../../protocol/index.js';
import type { Conversation } from '../../widget/client/conversation.js';
import { ChatRoomError } from '../../widget/client/errors.js';
import { ComposerController } from '../../widget/controllers/composer.js';
import type { SendOptions } from '../../widget/controllers/composer-hooks.js';
import { ViewHost } from '../../widget/ui/view-host.js';
import { renderComposer } from '../../widget/views/composer.js';

const ann = { id: 'g_ann', name: 'Ann', kind: 'guest' } as const;
const bob = { id: 'g_bob', name: 'Bob', kind: 'guest' } as const;

function message(text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id: `m-${Math.random().toString(36).slice(2)}`, seq: 1, room: 'r', clientId: crypto.randomUUID(), from: ann, text, at: Date.now(), ...extra };
}

/** The composer alone in a view, with the callbacks the connection layer fills recording what they get. */
class ComposerView extends ViewHost {
  sent: [string, SendOptions][] = [];
  edits: [string, string][] = [];
  editError: ChatRoomError | null = null;
  readonly composer = new ComposerController(this, {
    // The composer never looks into the conversation when the callbacks are given: any object stands for it.
    target: () => ({}) as Conversation,
    reason: () => null,
    send: async (_conv, text, options) => void this.sent.push([text, options]),
    edit: async (_conv, id, text) => {
      if (this.editError) throw this.editError;
      this.edits.push([id, text]);
    },
    typing: () => undefined,
    sending: () => undefined,
    resized: () => undefined,
    errorText: (e) => `failed: ${e.code}`,
    reportError: () => undefined,
  });

  protected render() {
    const c = this.composer;
    return html`<div class="base">
      ${renderComposer({
        lang: 'en',
        reason: null,
        draft: c.draft,
        error: c.error,
        dmPeer: null,
        above: c.renderAbove('en'),
        input: c.handleInput,
        keydown: c.handleKeydown,
        emoji: c.openEmoji,
        send: c.send,
        connect: () => undefined,
        retry: () => undefined,
      })}
    </div>`;
  }
}

const views: HTMLElement[] = [];

async function mountComposer(): Promise<{ view: ComposerView; root: ShadowRoot }> {
  const host = document.createElement('div');
  const root = host.attachShadow({ mode: 'open' });
  document.body.append(host);
  views.push(host);
  const view = new ComposerView(host, root);
  view.setConnected(true);
  await view.updateComplete;
  return { view, root };
}

const $ = (root: ShadowRoot, selector: string) => root.querySelector<HTMLElement>(selector);
const input = (root: ShadowRoot) => $(root, '[part="input"]') as HTMLTextAreaElement;

async function press(view: ComposerView, key: string): Promise<void> {
  await sendKeys({ press: key });
  await view.updateComplete;
}

describe('composer reply and edit modes', () => {
  afterEach(() => {
    for (const v of views.splice(0)) v.remove();
  });

  it('replying shows the bar with the author and first line, focuses the input and sends with replyTo', async () => {
    const { view, root } = await mountComposer();
    const original = message(`Hello <@${bob.id}>, look at this\nsecond line`, { mentions: [bob] });
    view.composer.startReply(original);
    await view.updateComplete;
    const bar = $(root, '[part="reply-bar"]')!;
    expect(bar.getAttribute('aria-label')).to.equal('Replying to Ann');
    expect($(root, '[part="reply-bar-excerpt"]')!.textContent).to.equal('Hello @Bob, look at this');
    await new Promise((r) => setTimeout(r, 0));
    expect(root.activeElement === input(root), 'the input has focus').to.equal(true);
    await sendKeys({ type: 'yes!' });
    await press(view, 'Enter');
    expect(view.sent).to.deep.equal([['yes!', { replyTo: original.id }]]);
    expect(!!$(root, '[part="reply-bar"]'), 'bar gone once sent').to.equal(false);
    expect(input(root).value).to.equal('');
  });

  it('Escape and the cancel button leave reply mode and keep the draft', async () => {
    const { view, root } = await mountComposer();
    view.composer.startReply(message('first'));
    await view.updateComplete;
    await sendKeys({ type: 'draft' });
    await press(view, 'Escape');
    expect(!!$(root, '[part="reply-bar"]')).to.equal(false);
    expect(input(root).value).to.equal('draft');
    view.composer.startReply(message('second'));
    await view.updateComplete;
    const cancel = $(root, '[part="reply-bar-cancel"]')!;
    expect(cancel.getAttribute('aria-label')).to.equal('Cancel reply');
    cancel.click();
    await view.updateComplete;
    expect(!!$(root, '[part="reply-bar"]')).to.equal(false);
    await press(view, 'Enter');
    expect(view.sent, 'a plain message once the reply is cancelled').to.deep.equal([['draft', { replyTo: undefined }]]);
  });

  it('editing prefills the input (mentions as @Name), Enter saves with tokens, Escape restores the draft put aside', async () => {
    const { view, root } = await mountComposer();
    input(root).focus();
    await sendKeys({ type: 'half-written' });
    const mine = message(`thanks <@${bob.id}>`, { mentions: [bob] });
    view.composer.startEdit(mine);
    await view.updateComplete;
    expect($(root, '[part="reply-bar"]')!.getAttribute('aria-label')).to.equal('Editing message');
    expect(input(root).value, 'prefilled').to.equal('thanks @Bob');
    await press(view, 'Escape');
    expect(input(root).value, 'the draft put aside is back').to.equal('half-written');
    expect(view.edits).to.deep.equal([]);

    view.composer.startEdit(mine);
    await view.updateComplete;
    await press(view, 'End');
    await sendKeys({ type: ' a lot' });
    await press(view, 'Enter');
    expect(view.edits).to.deep.equal([[mine.id, `thanks <@${bob.id}> a lot`]]);
    expect(view.sent, 'an edit is no new message').to.deep.equal([]);
    expect(input(root).value).to.equal('half-written');

    // Saving the text unchanged sends nothing.
    view.composer.startEdit(mine);
    await view.updateComplete;
    await press(view, 'Enter');
    expect(view.edits.length).to.equal(1);
  });

  it('a refused edit comes back to the input with its error', async () => {
    const { view, root } = await mountComposer();
    view.editError = new ChatRoomError({ code: 'forbidden', message: 'too late' });
    const mine = message('old text');
    view.composer.startEdit(mine);
    await view.updateComplete;
    await sendKeys({ type: '!' });
    await press(view, 'Enter');
    await new Promise((r) => setTimeout(r, 0));
    await view.updateComplete;
    expect(input(root).value).to.equal('old text!');
    expect($(root, '[part="reply-bar"]')!.getAttribute('data-mode')).to.equal('edit');
    expect($(root, '[part="composer-status"]')!.textContent).to.contain('failed: forbidden');
  });
});
